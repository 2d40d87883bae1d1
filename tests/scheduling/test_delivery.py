"""Offers reach the waiting person through the outbox, in their language, with working buttons."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.channels.pacing import LocalTimeline, SendBudget
from bot.core.clock import FakeClock
from bot.core.messages import Priority, Reply
from bot.db.models import Offering, OutboxMessage, Registration, User
from bot.scheduling.delivery import WORKERS, Delivery
from bot.services.outbox import Outbox
from handlers.notices import NOTICES
from tests.chat import Chat, CollectingChannel
from tests.handlers.test_registration import fill_tour


async def add_users(session: AsyncSession, clock: FakeClock, count: int) -> list[User]:
    """``count`` users of the test channel, ``u0``, ``u1``, …"""
    users = [User(channel="test", external_id=f"u{n}", role="user", created_at=clock.now(),
                  last_seen_at=clock.now(), blocked=False) for n in range(count)]  # fmt: skip
    session.add_all(users)
    await session.flush()
    return users


def delivery(app: App, channel: CollectingChannel, clock: FakeClock) -> Delivery:
    return Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES,
                    {"test": channel}, clock)  # fmt: skip


async def test_a_freed_seat_is_offered_in_the_waiting_persons_language(app: App, clock: FakeClock) -> None:
    tour = "spring-2027-son-tay"
    async with app.sessions() as session, session.begin():
        await session.execute(update(Offering).where(Offering.id == tour).values(capacity=1))
    holder = Chat(app.dispatcher, user_id="holder", language_hint="en")
    waiter = Chat(app.dispatcher, user_id="waiter", language_hint="ja")
    await fill_tour(holder, tour, "Minh Tran")
    await waiter.press_payload(f"register:{tour}")
    for text in ["Sato Hana", "Japanese"]:
        await waiter.send(text)
    await waiter.press_payload("regstep:guests:0")
    await waiter.send("hana@example.jp")
    await waiter.press_payload("regstep:skip")
    await waiter.press_payload("regstep:agree")
    await waiter.press_payload("regstep:confirm")

    channel = CollectingChannel()
    assert await delivery(app, channel, clock).send_due() == 0
    await holder.press_payload("my")
    await holder.press("Sơn Tây")
    await holder.press("Cancel my place")
    await holder.press("Yes, cancel it")
    assert await delivery(app, channel, clock).send_due() == 1
    assert await delivery(app, channel, clock).send_due() == 0, "sent once"
    [(chat_id, [offer])] = channel.sent
    assert chat_id == "waiter"
    japanese = app.catalogs.locale("ja")
    assert offer.all_buttons()[0].label == japanese.gettext("✅ Accept")
    assert app.content.tours.get(tour).title("ja") in offer.text
    waiter.last = [offer]
    await waiter.press(japanese.gettext("✅ Accept"))
    async with app.sessions() as session:
        statuses = {r.details["name"]: r.status for r in (await session.scalars(select(Registration))).all()}
        row = (await session.scalars(select(OutboxMessage).where(OutboxMessage.template == "offer"))).one()
    assert statuses == {"Minh Tran": "cancelled", "Sato Hana": "confirmed"}
    assert row.status == "sent"
    assert row.sent_at == clock.now()


async def test_blocked_recipients_are_skipped_and_failures_retried(app: App, clock: FakeClock) -> None:
    await Chat(app.dispatcher, user_id="gone").send("/start")
    async with app.sessions() as session, session.begin():
        user = (await session.scalars(select(User).where(User.external_id == "gone"))).one()
        params = {
            "registration": 1,
            "offering": "spring-2027-co-loa",
            "expires_at": clock.now().isoformat(),
            "seats": 1,
        }
        session.add_all([
            OutboxMessage(user_id=user.id, channel="test", template="offer", params=params, due_at=clock.now(),
                          status="pending", attempts=0, dedup_key="a"),
        ])  # fmt: skip

    class Failing(CollectingChannel):
        async def send(self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE) -> None:
            raise ConnectionError("network down")

    assert await delivery(app, Failing(), clock).send_due() == 0
    async with app.sessions() as session:
        row = (await session.scalars(select(OutboxMessage).where(OutboxMessage.template == "offer"))).one()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "network down")
    clock.advance(dt.timedelta(seconds=3))
    channel = CollectingChannel()
    assert await delivery(app, channel, clock).send_due() == 1
    async with app.sessions() as session, session.begin():
        await session.execute(update(User).values(blocked=True))
        session.add(OutboxMessage(user_id=user.id, channel="test", template="offer", params=params,
                                  due_at=clock.now(), status="pending", attempts=0, dedup_key="b"))  # fmt: skip
    assert await delivery(app, channel, clock).send_due() == 0
    async with app.sessions() as session:
        last = (await session.scalars(select(OutboxMessage).where(OutboxMessage.dedup_key == "b"))).one()
    assert last.status == "skipped"


async def test_two_senders_on_one_database_send_every_row_once(app: App, second_app: App, clock: FakeClock) -> None:
    async with app.sessions() as session, session.begin():
        users = await add_users(session, clock, 120)
        session.add_all(
            OutboxMessage(user_id=user.id, channel="test", template="staff_reply", due_at=clock.now(),
                          params={"question": "Q?", "reply": "A."}, status="pending", attempts=0,
                          dedup_key=f"two:{user.id}")
            for user in users
        )  # fmt: skip
    first, second = CollectingChannel(), CollectingChannel()
    sent = await asyncio.gather(delivery(app, first, clock).send_due(), delivery(second_app, second, clock).send_due())
    recipients = [chat_id for chat_id, _ in first.sent + second.sent]
    assert sum(sent) == len(recipients) == len(set(recipients)) == 120


async def test_a_message_for_one_person_overtakes_a_broadcasts_copies(app: App, clock: FakeClock) -> None:
    async with app.sessions() as session, session.begin():
        users = await add_users(session, clock, 80)
        outbox = Outbox(session)
        for user in users[:-1]:
            await outbox.enqueue(user, "staff_reply", {"question": "Q?", "reply": "Copy."}, bulk=True,
                                 due_at=clock.now() - dt.timedelta(minutes=5), dedup_key=f"copy:{user.id}")  # fmt: skip
        await outbox.enqueue(users[-1], "staff_reply", {"question": "Q?", "reply": "Reminder."}, due_at=clock.now(),
                             dedup_key="reminder")  # fmt: skip
    channel = CollectingChannel()
    assert await delivery(app, channel, clock).send_due() == 80
    order = [chat_id for chat_id, _ in channel.sent]
    assert order.index("u79") < WORKERS, "claimed first and sent with the first, though due last"


async def test_a_row_without_a_slot_within_its_lease_is_handed_back_not_sent_late(
    app: App, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with app.sessions() as session, session.begin():
        users = await add_users(session, clock, 3)
        for user in users:
            await Outbox(session).enqueue(user, "staff_reply", {"question": "Q?", "reply": "A."},
                                          due_at=clock.now(), dedup_key=f"slow:{user.id}")  # fmt: skip

    class OneASecond(CollectingChannel):
        """A channel whose budget grants one slot a second."""

        def __init__(self) -> None:
            super().__init__()
            self.budget = SendBudget(LocalTimeline(1.0))

        async def send(self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE) -> None:
            await self.budget.acquire(priority, chat_id)
            await super().send(chat_id, replies, priority=priority)

    caplog.set_level(logging.INFO, logger="bot.scheduling.delivery")
    channel = OneASecond()
    lease = dt.timedelta(seconds=1.2)  # a send must start within 0.6 s of the claim
    sender = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {"test": channel}, clock, lease=lease)
    runs = [await sender.send_due()]
    while sum(runs) < 3 and len(runs) < 20:  # the scheduler runs it again and again
        runs.append(await sender.send_due())
    assert runs[0] == 1, "one slot within the lease: the other rows went back"
    assert sum(runs) == 3
    async with app.sessions() as session:
        attempts = (await session.scalars(select(OutboxMessage.attempts))).all()
    assert sorted(chat_id for chat_id, _ in channel.sent) == ["u0", "u1", "u2"], "each sent once"
    assert attempts == [1, 1, 1], "a row handed back did not count as an attempt"
    assert "had no slot within its lease; handed back" in caplog.text
