"""The webhook: the secret header is checked in constant time; updates are answered before 200."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.webhook import TELEGRAM_SECRET_HEADER, webhook_route
from bot.channels.webhooks import MAX_BODY, secret_matches
from bot.db.models import Question, User
from bot.web.app import create_web_app
from tests.fake_bot_api import updates
from tests.fake_bot_api.server import FakeBotApi

SECRET = "s3cret-token_for-tests"


def _client(app: App, channel: TelegramChannel) -> httpx.AsyncClient:
    web = create_web_app([webhook_route(channel.handle_update, SECRET)])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://bot")


async def test_wrong_or_missing_secret_is_refused_and_nothing_is_processed(
    app: App, fake: FakeBotApi, channel: TelegramChannel
) -> None:
    async with _client(app, channel) as client:
        update = updates.command(31, "/start")
        missing = await client.post("/telegram/webhook", json=update)
        wrong = await client.post("/telegram/webhook", json=update, headers={TELEGRAM_SECRET_HEADER: "nope"})
    assert missing.status_code == 403
    assert wrong.status_code == 403
    assert fake.calls_of("sendMessage") == []


async def test_updates_are_answered_through_the_webhook(app: App, fake: FakeBotApi, channel: TelegramChannel) -> None:
    async with _client(app, channel) as client:
        for user, language in [(41, "fr"), (42, "zh-hans")]:
            response = await client.post(
                "/telegram/webhook", json=updates.command(user, "/start", language_code=language),
                headers={TELEGRAM_SECRET_HEADER: SECRET},
            )  # fmt: skip
            assert response.status_code == 200
        menu = fake.messages_in(41)[0]
        await client.post(
            "/telegram/webhook", json=updates.callback(41, "sites:0", message=menu, language_code="fr"),
            headers={TELEGRAM_SECRET_HEADER: SECRET},
        )  # fmt: skip
    french = app.catalogs.locale("fr").gettext("🎉 Events")
    first = next(c for c in fake.calls_of("sendMessage") if c.params["chat_id"] == 41)
    assert first.params["reply_markup"]["inline_keyboard"][0][0]["text"] == french
    site = app.content.sites.get("duong-lam").name("fr")
    assert fake.messages_in(41)[0]["reply_markup"]["inline_keyboard"][0][0]["text"] == site, "edited in place"
    assert fake.messages_in(42)[0]["text"].startswith("您好")
    assert fake.calls_of("answerCallbackQuery")
    assert fake.violations == []


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"{not json", 400), (b"[]", 400), (b'"x"', 400), (b"", 400), (b'{"message": {}}', 400),
     (b'{"update_id": "1"}', 400), (b" " * (MAX_BODY + 1), 413)],
)  # fmt: skip
async def test_a_body_that_is_not_an_update_is_refused(
    app: App, fake: FakeBotApi, channel: TelegramChannel, body: bytes, status: int
) -> None:
    async with _client(app, channel) as client:
        response = await client.post("/telegram/webhook", content=body, headers={TELEGRAM_SECRET_HEADER: SECRET})
    assert response.status_code == status
    assert fake.calls_of("sendMessage") == []


async def test_a_body_over_the_bound_is_refused_without_being_read(app: App, channel: TelegramChannel) -> None:
    read = 0

    async def endless() -> AsyncIterator[bytes]:  # no Content-Length: only the stream tells
        nonlocal read
        for _ in range(5 * 1024):
            read += 1024
            yield b" " * 1024

    async with _client(app, channel) as client:
        declared = await client.post(
            "/telegram/webhook",
            content=b"{}",
            headers={TELEGRAM_SECRET_HEADER: SECRET, "Content-Length": str(5 * 2**20)},
        )
        streamed = await client.post("/telegram/webhook", content=endless(), headers={TELEGRAM_SECRET_HEADER: SECRET})
    assert (declared.status_code, streamed.status_code) == (413, 413)
    assert read <= MAX_BODY + 64 * 1024, "reading stopped at the bound"


async def test_long_texts_and_names_are_cut_before_anything_reads_them(
    app: App, fake: FakeBotApi, channel: TelegramChannel
) -> None:
    update = updates.text_message(51, "Bát Tràng " * 50_000)
    update["message"]["from"]["first_name"] = "N" * 64
    update["message"]["from"]["last_name"] = "M" * 64
    async with _client(app, channel) as client:
        response = await client.post("/telegram/webhook", json=update, headers={TELEGRAM_SECRET_HEADER: SECRET})
    assert response.status_code == 200
    assert fake.messages_in(51), "answered"
    async with app.sessions() as session:
        [question] = (await session.scalars(select(Question))).all() or [None]
        [user] = (await session.scalars(select(User).where(User.external_id == "51"))).all()
    assert user.display_name is not None and len(user.display_name) == 128
    assert question is None or len(question.text) <= 4096


def test_secret_comparison() -> None:
    assert secret_matches("abc", "abc")
    assert not secret_matches("abd", "abc")
    assert not secret_matches(None, "abc")
    assert not secret_matches("", "abc")
    assert not secret_matches("abc", None), "no secret configured matches nothing"
