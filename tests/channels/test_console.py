"""The console channel: numbered buttons, venues, and a deterministic transcript for piped input."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import App
from bot.channels.console import ConsoleChannel
from bot.config import PROJECT_ROOT
from bot.core.i18n import Catalogs


def _run_bot(tmp_path: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.db'}", "SEMANTIC_ANSWERS": "false"}
    env.pop("TELEGRAM_TOKEN", None)
    env.pop("ZALO_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )


def test_piped_start_and_1_prints_a_deterministic_menu(tmp_path: Path) -> None:
    first = _run_bot(tmp_path, "/start\n1\n", "chat")
    second = _run_bot(tmp_path, "/start\n1\n", "chat")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stderr == ""
    out = first.stdout
    assert out.startswith("you › /start\nbot › Hello! I am the assistant")
    assert "[1] 🎉 Events   [2] 🇻🇳 Vietnamese classes" in out
    assert "[10] Tiếng Việt   [11] English" in out
    assert "you › 1\nbot › 🎉 Events" in out


def test_run_without_channels_opens_the_console(tmp_path: Path) -> None:
    result = _run_bot(tmp_path, "/help\n", "run")
    assert result.returncode == 0, result.stderr
    assert "Here is what I can help with:" in result.stdout


def test_chat_takes_a_language_and_a_user(tmp_path: Path) -> None:
    result = _run_bot(tmp_path, "/start\n", "chat", "--user", "diplomat-1", "--lang", "ko")
    events = Catalogs(PROJECT_ROOT / "locales", ZoneInfo("Asia/Ho_Chi_Minh")).locale("ko").gettext("🎉 Events")
    assert events != "🎉 Events"
    assert f"[1] {events}" in result.stdout


async def test_venue_is_an_address_and_a_map_link(app: App, tmp_path: Path) -> None:
    out = io.StringIO()
    console = ConsoleChannel(app.dispatcher, stdin=io.StringIO("/start\n4\n1\n"), stdout=out, downloads=tmp_path)
    await console.start()
    text = out.getvalue()
    assert "📍 " in text and "🗺 https://www.openstreetmap.org/?mlat=" in text
    assert "[1] " in text


def test_project_root_has_the_sample_content() -> None:
    assert (PROJECT_ROOT / "content" / "sites.yaml").exists()
