"""Generated input through every channel adapter: Telegram updates of every type from the Bot API
specification, Zalo payloads of every shape, console lines. Nothing escapes unhandled (no error is logged,
no Bot API call breaks the specification), and every private message from a person is answered.

The ordinary suite runs ``FUZZ_EXAMPLES`` (200) examples per adapter; ``make fuzz`` runs 10,000."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App, build_app
from bot.channels.console import BOT_PREFIX, ConsoleChannel
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.client import connect, make_bot
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient
from bot.config import PROJECT_ROOT, Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.messages import Incoming, Reply
from bot.runtime import repeats
from bot.services.answers import Answerer
from tests.conftest import NOW
from tests.fake_bot_api.runner import running
from tests.fake_bot_api.server import FakeBotApi
from tests.fake_zalo_api.server import FakeZaloApi
from tests.fuzz.strategies import (
    console_lines,
    private_telegram_messages,
    private_zalo_texts,
    telegram_updates,
    zalo_payloads,
)

EXAMPLES: Final = int(os.environ.get("FUZZ_EXAMPLES", "200"))
EXAMPLE_SETTINGS: Final = settings(
    max_examples=EXAMPLES, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)  # fmt: skip
pytestmark = pytest.mark.fuzz


class Errors(logging.Handler):
    """Every record of ERROR or worse the bot logs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def bot_app(tmp_path: Path, detector: LanguageDetector, answerer: Answerer) -> Iterator[tuple[asyncio.Runner, App,
                                                                                               Errors]]:  # fmt: skip
    """The application on its own loop, and the errors it logs."""
    config = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'fuzz.db'}", data_dir=tmp_path / "data",
                      content_dir=PROJECT_ROOT / "content", flood_burst=0, _env_file=None)  # type: ignore[call-arg]  # fmt: skip
    errors = Errors()
    logging.getLogger().addHandler(errors)
    try:
        with asyncio.Runner() as runner:
            app = runner.run(build_app(config, clock=FakeClock(NOW), detector=detector, answerer=answerer))
            try:
                yield runner, app, errors
            finally:
                runner.run(app.close())
    finally:
        logging.getLogger().removeHandler(errors)


def _described(records: list[logging.LogRecord]) -> list[str]:
    return [f"{record.name}: {record.getMessage()} {record.exc_text or ''}"[:2000] for record in records]


def _private_chat(update: dict[str, Any]) -> int | None:
    """The chat of a message a person sent the bot privately, if the update is one."""
    message = update.get("message") or update.get("edited_message")
    if not isinstance(message, dict):
        return None
    chat, sender = message.get("chat") or {}, message.get("from") or {}
    private = chat.get("type") == "private" and sender.get("is_bot") is False and chat.get("id") == sender.get("id")
    return chat["id"] if private else None


def test_any_telegram_update_is_handled_and_every_private_message_answered(
    tmp_path: Path, detector: LanguageDetector, answerer: Answerer
) -> None:
    fake = FakeBotApi()
    with running(fake) as url, bot_app(tmp_path, detector, answerer) as (runner, app, errors):
        bot = make_bot(fake.token, url)
        runner.run(connect(bot, url))
        channel = TelegramChannel(bot, app.dispatcher)

        @EXAMPLE_SETTINGS
        @given(update=st.one_of(telegram_updates(), private_telegram_messages()))
        def handle(update: dict[str, Any]) -> None:
            before = len(fake.calls)
            runner.run(channel.handle_update(update))
            assert not errors.records, _described(errors.records)
            chat = _private_chat(update)
            if chat is not None:
                sent = [call for call in fake.calls[before:] if call.params.get("chat_id") == chat]
                assert sent, f"not answered: {update}"

        try:
            handle()
        finally:
            runner.run(bot.shutdown())
    assert fake.violations == []


def test_any_zalo_payload_is_handled_and_every_private_message_answered(
    tmp_path: Path, detector: LanguageDetector, answerer: Answerer
) -> None:
    zalo = FakeZaloApi()
    with running(zalo) as url, bot_app(tmp_path, detector, answerer) as (runner, app, errors):  # type: ignore[arg-type]
        client = ZaloClient(zalo.token, url)
        channel = ZaloChannel(client, app.dispatcher, repeats(app, ZaloChannel.name))

        async def handled(payload: dict[str, Any]) -> None:
            await channel.handle_update(payload)
            await channel.drain()

        @EXAMPLE_SETTINGS
        @given(payload=zalo_payloads(), private=private_zalo_texts())
        def handle(payload: dict[str, Any], private: tuple[str, dict[str, Any]]) -> None:
            runner.run(handled(payload))
            user, message = private
            message["message"]["message_id"] = uuid.uuid4().hex  # a new message: a repeat is rightly skipped
            before = len(zalo.sent_to(user))
            runner.run(handled(message))
            assert not errors.records, _described(errors.records)
            assert len(zalo.sent_to(user)) > before, f"not answered: {message}"

        try:
            handle()
        finally:
            runner.run(client.close())


class Answers:
    """The dispatcher, noting how many replies each message got."""

    def __init__(self, app: App) -> None:
        self._dispatcher = app.dispatcher
        self.counts: list[int] = []

    async def handle(self, message: Incoming) -> list[Reply]:
        replies = await self._dispatcher.handle(message)
        self.counts.append(len(replies))
        return replies


def test_any_console_lines_are_each_answered(tmp_path: Path, detector: LanguageDetector, answerer: Answerer) -> None:
    with bot_app(tmp_path, detector, answerer) as (runner, app, errors):

        @EXAMPLE_SETTINGS
        @given(lines=console_lines)
        def handle(lines: list[str]) -> None:
            typed = [" ".join(line.splitlines()) for line in lines]
            answers, out = Answers(app), io.StringIO()
            console = ConsoleChannel(answers, user_id="fuzz", language_hint=None,  # type: ignore[arg-type]
                                     stdin=io.StringIO("".join(f"{line}\n" for line in typed)), stdout=out,
                                     downloads=tmp_path / "downloads")  # fmt: skip
            runner.run(console.start())
            assert not errors.records, _described(errors.records)
            assert len(answers.counts) == len([line for line in typed if line.strip()])
            assert all(answers.counts), "every line got a reply"
            assert out.getvalue().count(BOT_PREFIX) >= sum(answers.counts)

        handle()
