"""The outbox through the real Telegram channel and the fake Bot API: 429, 403 and 5xx as Telegram sends them."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.pacing import DECREASE, SendBudget
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.client import connect, make_bot
from bot.core.clock import FakeClock
from bot.db.models import OutboxMessage, SendRate, User
from bot.scheduling.delivery import MAX_ATTEMPTS, Delivery
from bot.scheduling.send_rates import SharedTimeline
from bot.services.broadcasts import Announcement, Broadcasts, parse_audience
from handlers.notices import NOTICES
from tests.fake_bot_api.server import FakeBotApi

CHAT = 424242


@pytest.fixture
async def telegram(app: App, fake: FakeBotApi, api_url: str) -> AsyncIterator[tuple[FakeBotApi, TelegramChannel]]:
    bot = make_bot(fake.token, api_url)
    await connect(bot, api_url)
    yield fake, TelegramChannel(bot, app.dispatcher)
    await bot.shutdown()


async def queue_notice(app: App, clock: FakeClock) -> None:
    async with app.sessions() as session, session.begin():
        user = User(channel="telegram", external_id=str(CHAT), language="vi", role="user", created_at=clock.now(),
                    last_seen_at=clock.now(), blocked=False)  # fmt: skip
        session.add(user)
        await session.flush()
        session.add(OutboxMessage(user_id=user.id, channel="telegram", template="approved", due_at=clock.now(),
                                  params={"registration": 1, "offering": "vietnamese-advanced"}, status="pending",
                                  attempts=0, dedup_key="approved:1"))  # fmt: skip


async def the_row(app: App) -> OutboxMessage:
    async with app.sessions() as session:
        return (await session.scalars(select(OutboxMessage))).one()


def delivery(app: App, channel: TelegramChannel, clock: FakeClock) -> Delivery:
    return Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES,
                    {"telegram": channel}, clock)  # fmt: skip


async def test_a_429_is_waited_out_and_the_message_sent_once(
    app: App, clock: FakeClock, telegram: tuple[FakeBotApi, TelegramChannel]
) -> None:
    fake, channel = telegram
    await queue_notice(app, clock)
    fake.fail("sendMessage", status=429, retry_after=1)
    assert await delivery(app, channel, clock).send_due() == 1
    calls = fake.calls_of("sendMessage")
    assert len(calls) == 2
    assert calls[1].at - calls[0].at >= 1.0, "sent again only after retry_after"
    [message] = fake.messages_in(CHAT)
    assert "Tiếng Việt cho nhà ngoại giao – Nâng cao" in message["text"], "in the recipient's language"
    row = await the_row(app)
    assert (row.status, row.platform_message_id) == ("sent", str(message["message_id"]))
    assert fake.violations == []


async def test_a_403_marks_the_user_blocked(
    app: App, clock: FakeClock, telegram: tuple[FakeBotApi, TelegramChannel]
) -> None:
    fake, channel = telegram
    await queue_notice(app, clock)
    fake.block(CHAT)
    assert await delivery(app, channel, clock).send_due() == 0
    row = await the_row(app)
    assert row.status == "skipped"
    assert "blocked" in (row.last_error or "")
    async with app.sessions() as session:
        assert (await session.scalars(select(User.blocked).where(User.external_id == str(CHAT)))).one()


async def test_server_errors_are_retried_with_backoff_then_the_row_fails(
    app: App, clock: FakeClock, telegram: tuple[FakeBotApi, TelegramChannel]
) -> None:
    fake, channel = telegram
    await queue_notice(app, clock)
    fake.fail("sendMessage", status=502, times=MAX_ATTEMPTS)
    pauses = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert await delivery(app, channel, clock).send_due() == 0
        row = await the_row(app)
        assert row.attempts == attempt
        assert "Bad Gateway" in (row.last_error or "")
        if attempt < MAX_ATTEMPTS:
            assert row.status == "pending"
            pauses.append(row.due_at - clock.now())
            assert await delivery(app, channel, clock).send_due() == 0, "not before its pause is over"
            clock.advance(row.due_at - clock.now())
    assert pauses == [dt.timedelta(seconds=2**n) for n in range(1, MAX_ATTEMPTS)]
    assert (await the_row(app)).status == "failed"
    assert len(fake.calls_of("sendMessage")) == MAX_ATTEMPTS


async def test_a_broadcast_is_corrected_in_place_and_withdrawn_by_deleting_it(
    app: App, clock: FakeClock, telegram: tuple[FakeBotApi, TelegramChannel]
) -> None:
    fake, channel = telegram
    async with app.sessions() as session, session.begin():
        session.add(User(channel="telegram", external_id=str(CHAT), language="fr", role="user",
                         created_at=clock.now(), last_seen_at=clock.now(), blocked=False))  # fmt: skip
        admin = User(channel="telegram", external_id="1", role="admin", created_at=clock.now(),
                     last_seen_at=clock.now(), blocked=False, announcements=False)  # fmt: skip
        session.add(admin)
    texts = {"fr": "La plantation commence à 8 h.", "en": "The planting starts at 8:00."}
    async with app.sessions() as session, session.begin():
        broadcasts = Broadcasts(session, clock)
        sent = await broadcasts.send(Announcement(texts), parse_audience("everyone", app.content), urgent=False,
                                     channels=["telegram"])  # fmt: skip
    assert await delivery(app, channel, clock).send_due() == 1
    [message] = fake.messages_in(CHAT)
    assert "8 h" in message["text"]

    async with app.sessions() as session, session.begin():
        broadcasts = Broadcasts(session, clock)
        broadcast = await broadcasts.get(sent.id)
        assert broadcast is not None
        assert await broadcasts.correct(broadcast, "fr", "La plantation commence à 9 h.", admin) == 1
    assert await delivery(app, channel, clock).send_due() == 1
    assert fake.calls_of("sendMessage")[1:] == [], "corrected in place, not sent again"
    [edited] = fake.messages_in(CHAT)
    assert "9 h" in edited["text"] and edited["message_id"] == message["message_id"]

    async with app.sessions() as session, session.begin():
        broadcasts = Broadcasts(session, clock)
        broadcast = await broadcasts.get(sent.id)
        assert broadcast is not None
        assert await broadcasts.withdraw(broadcast, admin) == 1
    assert await delivery(app, channel, clock).send_due() == 1
    assert fake.messages_in(CHAT) == [], "deleted"
    assert [call.params["message_id"] for call in fake.calls_of("deleteMessage")] == [message["message_id"]]
    assert fake.violations == []


async def test_a_429_pauses_the_channel_and_lowers_the_rate_every_process_shares(
    app: App, clock: FakeClock, fake: FakeBotApi, api_url: str
) -> None:
    bot = make_bot(fake.token, api_url)
    await connect(bot, api_url)
    budget = SendBudget(SharedTimeline(app.sessions, "telegram", ceiling=30))
    channel = TelegramChannel(bot, app.dispatcher, budget=budget)
    try:
        await queue_notice(app, clock)
        fake.fail("sendMessage", status=429, retry_after=1)
        assert await delivery(app, channel, clock).send_due() == 1
    finally:
        await bot.shutdown()
    first, second = fake.calls_of("sendMessage")
    assert second.at - first.at >= 1.0, "sent again after the pause"
    async with app.sessions() as session:
        shared = (await session.scalars(select(SendRate))).one()
    assert shared.channel == "telegram"
    assert shared.rate == pytest.approx(30 * DECREASE, rel=0.02), "lowered for every process"
    assert shared.paused_until >= first.at + 1, "paused for retry_after from the 429"
