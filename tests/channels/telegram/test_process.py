"""``haufo-bot run`` as a real process against the fake Bot API: languages, webhook, kill and restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.config import PROJECT_ROOT
from bot.core.i18n import Catalogs
from bot.core.languages import LANGUAGES
from tests.chat import navigates
from tests.fake_bot_api import updates
from tests.fake_bot_api.server import FakeBotApi

HINTS = {"vi": "vi", "en": "en", "fr": "fr", "ru": "ru", "zh": "zh-hans", "ja": "ja", "ko": "ko"}
SECRET = "webhook-secret-for-tests"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def bot_process(tmp_path: Path, **env: str) -> Iterator[subprocess.Popen[str]]:
    """``haufo-bot run`` with ``env``, on a SQLite file in ``tmp_path``; stopped at the end."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "ZALO_"))}
    environment |= {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", "SEMANTIC_ANSWERS": "false",
                    "FLOOD_BURST": "0", **env}  # fmt: skip  # a test walks the menu faster than anyone types
    log = (tmp_path / "bot.log").open("a")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=environment, stdin=subprocess.DEVNULL,
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        log.close()


def first_button_labels(call_params: dict[str, Any]) -> str:
    return str(call_params["reply_markup"]["inline_keyboard"][0][0]["text"])


def test_run_answers_start_in_seven_languages_and_walks_the_menu(
    tmp_path: Path, fake: FakeBotApi, api_url: str
) -> None:
    catalogs = Catalogs(PROJECT_ROOT / "locales", ZoneInfo("Asia/Ho_Chi_Minh"))
    for index, language in enumerate(LANGUAGES):
        fake.enqueue(updates.command(3000 + index, "/start", language_code=HINTS[language]))
    with bot_process(tmp_path, TELEGRAM_TOKEN=fake.token, TELEGRAM_API_URL=api_url) as process:
        fake.wait_until(lambda: all(fake.messages_in(3000 + i) for i in range(len(LANGUAGES))), timeout=30)
        for index, language in enumerate(LANGUAGES):
            first = next(c for c in fake.calls_of("sendMessage") if c.params["chat_id"] == 3000 + index)
            assert first_button_labels(first.params) == catalogs.locale(language).gettext("🎉 Events"), language
        user, pressed = 3001, set()
        while todo := [
            (message, button["callback_data"])
            for message in fake.messages_in(user)
            for row in message.get("reply_markup", {}).get("inline_keyboard", [])
            for button in row
            if navigates(button.get("callback_data")) and button["callback_data"] not in pressed
        ]:
            message, data = todo[0]
            pressed.add(data)
            answered = len(fake.calls_of("answerCallbackQuery"))
            fake.enqueue(updates.callback(user, data, message=message))
            fake.wait_until(lambda answered=answered: len(fake.calls_of("answerCallbackQuery")) > answered)
            fake.wait_until(lambda: not fake.pending())
        assert len(pressed) > 20
        assert process.poll() is None
    assert fake.violations == []
    assert len(fake.calls_of("setMyCommands")) == len(LANGUAGES) + 1


def test_sigterm_finishes_the_updates_in_hand_and_confirms_them(tmp_path: Path, fake: FakeBotApi, api_url: str) -> None:
    with bot_process(tmp_path, TELEGRAM_TOKEN=fake.token, TELEGRAM_API_URL=api_url) as process:
        fake.enqueue(updates.command(51, "/start"))
        fake.wait_until(lambda: fake.messages_in(51), timeout=30)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    assert fake.pending() == []


def test_killed_while_updates_are_queued_loses_none(tmp_path: Path, fake: FakeBotApi, api_url: str) -> None:
    users = range(6000, 6200)
    for user in users:
        fake.enqueue(updates.command(user, "/start", language_code="fr"))
    env = {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": api_url}
    with bot_process(tmp_path, **env) as process:
        fake.wait_until(lambda: fake.calls_of("sendMessage"), timeout=30)
        process.kill()
    answered_before = {c.params["chat_id"] for c in fake.calls_of("sendMessage")}
    assert len(answered_before) < len(users), "the kill came while updates were still queued"
    with bot_process(tmp_path, **env):
        fake.wait_until(lambda: all(fake.messages_in(user) for user in users), timeout=60)
    assert fake.violations == []


def test_webhook_mode(tmp_path: Path, fake: FakeBotApi, api_url: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": api_url, "WEBHOOK_BASE_URL": base,
           "WEBHOOK_SECRET": SECRET, "PORT": str(port)}  # fmt: skip
    with bot_process(tmp_path, **env):
        webhook = fake.wait_until(lambda: fake.calls_of("setWebhook"), timeout=30)[0].params
        assert webhook["url"] == f"{base}/telegram/webhook"
        assert webhook["secret_token"] == SECRET
        assert set(webhook["allowed_updates"]) >= {"message", "callback_query", "my_chat_member"}
        fake.wait_until(lambda: _healthy(base), timeout=30)
        for index, language in enumerate(LANGUAGES):
            update = updates.command(7000 + index, "/start", language_code=HINTS[language])
            response = httpx.post(
                f"{base}/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            assert response.status_code == 200
        forged = httpx.post(f"{base}/telegram/webhook", json=updates.command(7999, "/start"),
                            headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})  # fmt: skip
        assert forged.status_code == 403
        fake.wait_until(lambda: all(fake.messages_in(7000 + i) for i in range(len(LANGUAGES))))
        menu = fake.messages_in(7000)[0]
        httpx.post(f"{base}/telegram/webhook", json=updates.callback(7000, "tours:0", message=menu), headers=HEADERS)
        fake.wait_until(lambda: fake.calls_of("answerCallbackQuery"))
    assert fake.messages_in(7999) == []
    assert fake.violations == []


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz").text == "ok"
    except httpx.HTTPError:
        return False


@pytest.mark.parametrize(
    ("token", "api", "expected"),
    [
        ("not-a-token", None, "TELEGRAM_TOKEN looks malformed"),
        ("123456:AAHwrongTokenThatTheServerDoesNotKnow000", None, "Telegram rejected TELEGRAM_TOKEN"),
        (None, "http://127.0.0.1:9", "Cannot reach the Bot API"),
    ],
)
def test_startup_problems_are_one_clear_line(
    tmp_path: Path, fake: FakeBotApi, api_url: str, token: str | None, api: str | None, expected: str
) -> None:
    with bot_process(tmp_path, TELEGRAM_TOKEN=token or fake.token, TELEGRAM_API_URL=api or api_url) as process:
        assert process.wait(timeout=60) == 2
    output = (tmp_path / "bot.log").read_text().strip().splitlines()
    assert len(output) == 1, output
    assert expected in output[0]
