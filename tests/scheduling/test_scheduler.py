"""APScheduler wiring: a queued row wakes the outbox job, the daily jobs are on the timetable, and the
staff's morning digest in each staff member's language."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.app import App, build_app
from bot.config import Settings
from bot.core.clock import FakeClock, SystemClock
from bot.core.detection import LanguageDetector
from bot.db.models import OutboxMessage, Question, User
from bot.runtime import retention, schedule
from bot.scheduling.delivery import Delivery
from bot.scheduling.housekeeping import Housekeeping
from bot.scheduling.scheduler import OUTBOX_JOB, ROUTINE_CHECK
from bot.services.answers import Answerer
from bot.services.outbox import Outbox
from handlers.notices import NOTICES
from tests.chat import Chat, CollectingChannel
from tests.handlers.test_registration import fill_tour

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


async def wait_for(condition: object, seconds: float) -> None:
    for _ in range(int(seconds / 0.02)):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def test_a_queued_row_wakes_the_outbox_job_and_daily_jobs_are_on_the_timetable(
    settings: Settings, detector: LanguageDetector, answerer: Answerer
) -> None:
    app = await build_app(settings, clock=SystemClock(), detector=detector, answerer=answerer)
    channel = CollectingChannel()
    scheduler = schedule(app, {channel.name: channel})
    try:
        await Chat(app.dispatcher, user_id="visitor").send("/start")
        await asyncio.sleep(0.2)  # the first look at the outbox, right at start
        routine = scheduler.next_run(OUTBOX_JOB)
        assert routine is not None
        async with app.sessions() as session, session.begin():
            user = (await session.scalars(select(User))).one()
            due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
            await Outbox(session).enqueue(user, "staff_reply", {"question": "Q?", "reply": "A."}, due_at=due,
                                          dedup_key="wake-test")  # fmt: skip
        assert scheduler.next_run(OUTBOX_JOB) == due, "the commit moved the job to the row's due time"
        assert due < routine
        await wait_for(lambda: channel.sent, (ROUTINE_CHECK / 2).total_seconds())
        assert channel.sent[0][0] == "visitor"

        digest, purge = scheduler.next_run("digest"), scheduler.next_run("purge")
        assert digest is not None
        assert purge is not None
        assert (digest.astimezone(HANOI).time(), purge.astimezone(HANOI).time()) == (dt.time(8), dt.time(3, 30))
        assert digest - dt.datetime.now(dt.UTC) <= dt.timedelta(days=1)
    finally:
        await scheduler.shutdown()
        await app.close()


async def test_the_morning_digest_reaches_each_staff_member_in_their_language(app: App, clock: FakeClock) -> None:
    admin = Chat(app.dispatcher, user_id="admin")
    await admin.send("/start")
    await admin.press_payload("lang:vi")
    await fill_tour(Chat(app.dispatcher, user_id="visitor"), "spring-2027-co-loa", "Anna Schmidt")
    async with app.sessions() as session, session.begin():
        visitor = (await session.scalars(select(User).where(User.external_id == "visitor"))).one()
        session.add(Question(user_id=visitor.id, text="Có xe đưa đón từ khách sạn không?", language="vi",
                             status="queued", score=0.1, created_at=clock.now(), faq_candidate=False))  # fmt: skip
    housekeeping = Housekeeping(app.sessions, app.published, clock, app.settings.zone,
                                 retention=retention(app.settings))  # fmt: skip
    clock.advance(dt.timedelta(hours=1))
    assert await housekeeping.send_digests() == 1
    assert await housekeeping.send_digests() == 1
    async with app.sessions() as session:
        rows = (await session.scalars(select(OutboxMessage).where(OutboxMessage.template == "digest"))).all()
    assert len(rows) == 1, "one digest a day, however often the job runs"

    channel = CollectingChannel()
    delivery = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES,
                        {"test": channel}, clock)  # fmt: skip
    await delivery.send_due()
    [(_, [digest])] = [sent for sent in channel.sent if sent[0] == "admin"]
    vietnamese = app.catalogs.locale("vi")
    assert digest.text.startswith(vietnamese.gettext("☀️ Good morning! Since yesterday:"))
    assert vietnamese.ngettext("• {n} new registration", "• {n} new registrations", 1).format(n=1) in digest.text
    assert app.content.tours.get("spring-2027-co-loa").title("vi") in digest.text
    assert "Có xe đưa đón từ khách sạn không?" in digest.text
    assert [b.payload for b in digest.all_buttons()] == ["questions", "staff"]


async def test_no_digest_for_staff_who_blocked_the_bot(app: App, clock: FakeClock) -> None:
    await Chat(app.dispatcher, user_id="admin").send("/start")
    async with app.sessions() as session, session.begin():
        await session.execute(update(User).values(blocked=True))
    housekeeping = Housekeeping(app.sessions, app.published, clock, app.settings.zone,
                                 retention=retention(app.settings))  # fmt: skip
    assert await housekeeping.send_digests() == 0
