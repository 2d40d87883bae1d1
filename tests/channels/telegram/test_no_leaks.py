"""Nothing secret or personal in the logs or the stored errors: a whole registration through the Telegram
webhook, logged at DEBUG as JSON, with a send that fails on the way."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.webhook import TELEGRAM_SECRET_HEADER, webhook_route
from bot.core.clock import FakeClock
from bot.core.logs import REDACTED, configure_logging, redact
from bot.db.models import OutboxMessage
from bot.scheduling.delivery import Delivery
from bot.web.app import create_web_app
from handlers.notices import NOTICES
from tests.fake_bot_api import updates
from tests.fake_bot_api.server import FakeBotApi

USER = 7301
EMAIL = "claire.martin@example.org"
PHONE = "+84 912 345 678"
NAME = "Claire Martin"


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    """configure_logging replaces the root handlers (pytest's own among them): put them back afterwards."""
    root = logging.getLogger()
    handlers, levels = root.handlers[:], {name: logging.getLogger(name).level for name in ("", "bot", "handlers")}
    yield
    root.handlers[:] = handlers
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _button(fake: FakeBotApi, label: str) -> tuple[str, dict[str, Any]]:
    """The callback data of the button labelled ``label`` in the user's latest message, and that message."""
    message = fake.messages_in(USER)[-1]
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    [data] = [button["callback_data"] for row in rows for button in row if label in button["text"]]
    return data, message


async def test_a_whole_registration_leaves_no_secret_or_personal_data_in_logs_or_errors(
    app: App, fake: FakeBotApi, channel: TelegramChannel, clock: FakeClock
) -> None:
    secret = app.settings.webhook_secret.get_secret_value()
    log = io.StringIO()
    configure_logging("DEBUG", "json", [*app.settings.secrets(), fake.token], stream=log)
    web = create_web_app([webhook_route(channel.handle_update, secret)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://bot") as client:

        async def post(update: dict[str, Any]) -> None:
            response = await client.post("/telegram/webhook", json=update, headers={TELEGRAM_SECRET_HEADER: secret})
            assert response.status_code == 200

        async def press(label: str) -> None:
            data, message = _button(fake, label)
            await post(updates.callback(USER, data, message=message))

        await post(updates.command(USER, "/start tour-spring-2027-co-loa"))
        await press("Register")
        for answer in [NAME, "French"]:
            await post(updates.text_message(USER, answer))
        await press("0")
        await post(updates.text_message(USER, EMAIL))
        await post(updates.text_message(USER, PHONE))
        await press("I agree")
        await press("Confirm")
    assert "confirmed" in fake.messages_in(USER)[-1]["text"]

    fake.fail("sendMessage", status=500, times=10, description=f"upstream said {fake.token} {EMAIL}")
    async with app.sessions() as session, session.begin():
        pending = (await session.scalars(select(OutboxMessage))).all()
        for row in pending:
            row.due_at = clock.now()
    delivery = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {"telegram": channel}, clock)
    await delivery.send_due()
    async with app.sessions() as session:
        errors = [row.last_error for row in (await session.scalars(select(OutboxMessage))).all() if row.last_error]
    assert errors, "the failed sends stored their error"

    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    handled = [line for line in lines if line["logger"] == "bot.core.dispatcher"]
    assert len(handled) >= 9 and {line["channel"] for line in handled} == {"telegram"}
    assert {line["user"] for line in handled} == {str(USER)}
    assert {"router", "latency_ms", "outcome"} <= set(handled[0])
    assert any(line["level"] == "WARNING" for line in lines), "the failed sends were logged"
    everything = log.getvalue() + "\n".join(errors)
    for leak in [fake.token, secret, EMAIL, PHONE, NAME, "Claire", "French"]:
        assert leak not in everything, leak


def test_redaction_catches_tokens_e_mails_and_phones_but_not_dates_or_ids() -> None:
    redact.add(["a-long-webhook-secret"])
    line = ("POST https://api.telegram.org/bot123456:AAHwrongTokenThatTheServerDoesNotKnow000/sendMessage "
            "for 0912.345.678 and +84 (24) 3825 1234 a.b@mail.example.vn a-long-webhook-secret "
            "at 2027-02-20 07:30 update 123456789 row 42")  # fmt: skip
    assert redact(line) == (f"POST https://api.telegram.org/bot{REDACTED}/sendMessage for {REDACTED} and {REDACTED} "
                            f"{REDACTED} {REDACTED} at 2027-02-20 07:30 update 123456789 row 42")  # fmt: skip
