"""``haufo-bot broadcast``: a preview sends nothing; sending now delivers every recipient in their language
through the platform, shows progress and ends with the summary line; bad input is named, nothing queued."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import PROJECT_ROOT, Settings
from bot.db.models import User
from tests.fake_bot_api.server import FakeBotApi

FIRST_CHAT = 810_000
LANGUAGES_OF_READERS = ["vi", "en", "fr", "ru", "ja"]
ANNOUNCEMENT = """\
vi: "Kính gửi quý vị: buổi trồng cây hữu nghị bắt đầu lúc 9 giờ."
en: "Dear friends: the friendship tree planting starts at 9:00."
button: peace-tree-planting
"""


async def add_readers(database_url: str, data_dir: Path) -> None:
    settings = Settings(database_url=database_url, data_dir=data_dir, content_dir=PROJECT_ROOT / "content",
                        semantic_answers=False, _env_file=None)  # type: ignore[call-arg]  # fmt: skip
    app = await build_app(settings)
    now = dt.datetime.now(dt.UTC)
    async with app.sessions() as session, session.begin():
        session.add_all(
            User(channel="telegram", external_id=str(FIRST_CHAT + n), language=language, role="user",
                 created_at=now, last_seen_at=now, blocked=False)
            for n, language in enumerate(LANGUAGES_OF_READERS)
        )  # fmt: skip
    await app.close()


def haufo_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "ZALO_"))}
    environment |= {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", "SEMANTIC_ANSWERS": "false", **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, env=environment, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL, check=False)  # fmt: skip


def outbox_rows(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "bot.db") as connection:
        return int(connection.execute("SELECT count(*) FROM outbox").fetchone()[0])


@pytest.fixture
def prepared(tmp_path: Path) -> Path:
    asyncio.run(add_readers(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", tmp_path / "data"))
    (tmp_path / "announcement.yaml").write_text(ANNOUNCEMENT, encoding="utf-8")
    return tmp_path


def test_dry_run_previews_every_language_group_and_sends_nothing(
    prepared: Path, fake: FakeBotApi, api_url: str
) -> None:
    result = haufo_bot(prepared, "broadcast", "announcement.yaml", "--audience", "everyone", "--dry-run",
                       TELEGRAM_TOKEN=fake.token, TELEGRAM_API_URL=api_url)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Audience everyone: 5 recipients" in result.stdout
    assert "fr: 1 recipients get the en text (no fr version)" in result.stdout
    assert "vi: 1 recipients get the vi text" in result.stdout
    assert "--- ja ---\n📣 Dear friends" in result.stdout
    assert "（このお知らせには日本語版がありません。）" in result.stdout
    assert fake.calls_of("sendMessage") == []
    assert outbox_rows(prepared) == 0


def test_sending_now_reaches_everyone_in_their_language_and_reports(
    prepared: Path, fake: FakeBotApi, api_url: str
) -> None:
    fake.block(FIRST_CHAT + 3)  # the Russian reader blocked the bot
    result = haufo_bot(prepared, "broadcast", "announcement.yaml", "--audience", "everyone",
                       TELEGRAM_TOKEN=fake.token, TELEGRAM_API_URL=api_url)  # fmt: skip
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"BROADCAST id=1 recipients=5 sent=4 blocked=1 failed=0 seconds=\d+\.\d", last), last
    assert "broadcast 1: sent 4, blocked 1, failed 0, remaining 0" in result.stderr
    texts = {int(call.params["chat_id"]): call.params["text"] for call in fake.calls_of("sendMessage")}
    assert "Kính gửi quý vị" in texts[FIRST_CHAT]
    assert "Dear friends" in texts[FIRST_CHAT + 1]
    assert "Dear friends" in texts[FIRST_CHAT + 2] and "n’est pas disponible en français" in texts[FIRST_CHAT + 2]
    assert fake.violations == []


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["missing.yaml", "--audience", "everyone"], "missing.yaml: cannot be read"),
        (["announcement.yaml", "--audience", "tour:moon"], "no tour has the id 'moon'"),
        (["announcement.yaml", "--audience", "everyone", "--at", "tomorrow"], "give the local time as"),
        (["announcement.yaml", "--audience", "everyone", "--at", "2020-01-01 08:00"], "has passed"),
    ],
)
def test_bad_input_is_one_line_and_queues_nothing(
    prepared: Path, fake: FakeBotApi, api_url: str, args: list[str], problem: str
) -> None:
    result = haufo_bot(prepared, "broadcast", *args, TELEGRAM_TOKEN=fake.token, TELEGRAM_API_URL=api_url)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert problem in result.stderr
    assert outbox_rows(prepared) == 0


def test_without_a_channel_it_says_what_to_set(prepared: Path) -> None:
    result = haufo_bot(prepared, "broadcast", "announcement.yaml", "--audience", "everyone")
    assert result.returncode == 1
    assert "set TELEGRAM_TOKEN" in result.stderr
