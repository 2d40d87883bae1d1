"""Reminders on a fake clock: created on confirm, cancelled on cancel, moved with the content, never for a
moment already past, skipped after a downtime, in the recipient's current language, stopped for the blocked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.app import App, build_app
from bot.channels.base import RecipientUnreachable
from bot.config import PROJECT_ROOT, Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.messages import Priority, Reply
from bot.db.models import Offering, OutboxMessage, Registration, User
from bot.scheduling.delivery import Delivery
from bot.services.answers import Answerer
from bot.services.reminders import DEFAULT_RULES, load_rules, rule_problems
from handlers.notices import NOTICES
from tests.chat import Chat, CollectingChannel
from tests.conftest import edit_content
from tests.handlers.test_registration import fill_course, fill_tour

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SON_TAY = "spring-2027-son-tay"  # departs 2027-02-20 07:30 from the meeting point


def hanoi(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HANOI)  # type: ignore[misc]


def delivery(app: App, channel: CollectingChannel, clock: FakeClock) -> Delivery:
    return Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES,
                    {"test": channel}, clock)  # fmt: skip


async def outbox(app: App, template: str = "reminder") -> list[OutboxMessage]:
    async with app.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == template).order_by(OutboxMessage.due_at)
        )
        return list(rows.all())


def pending(rows: Sequence[OutboxMessage]) -> list[tuple[str, dt.datetime]]:
    return [(row.params["rule"], row.due_at) for row in rows if row.status == "pending"]


async def test_confirming_a_place_schedules_its_reminders_and_cancelling_cancels_them(app: App) -> None:
    chat = Chat(app.dispatcher, user_id="visitor", language_hint="en")
    await fill_tour(chat, SON_TAY, "Anna Schmidt")
    rows = await outbox(app)
    assert pending(rows) == [("day-before", hanoi(2027, 2, 19, 18)), ("departure", hanoi(2027, 2, 20, 5, 30))]
    assert {row.subject for row in rows} == {f"registration:{rows[0].params['registration']}"}
    assert [row.expires_at for row in rows] == [hanoi(2027, 2, 19, 20), hanoi(2027, 2, 20, 7, 30)]

    await chat.press_payload("my")
    await chat.press("Sơn Tây")
    await chat.press("Cancel my place")
    await chat.press("Yes, cancel it")
    assert [row.status for row in await outbox(app)] == ["cancelled", "cancelled"]


async def test_waiting_and_pending_places_get_no_reminders_until_confirmed(app: App) -> None:
    async with app.sessions() as session, session.begin():
        await session.execute(update(Offering).where(Offering.id == SON_TAY).values(capacity=1))
    await fill_tour(Chat(app.dispatcher, user_id="first"), SON_TAY, "First Person")
    second = Chat(app.dispatcher, user_id="second")
    await fill_tour(second, SON_TAY, "Second Person")
    assert len(await outbox(app)) == 2, "only the confirmed place has reminders"


async def test_course_reminders_the_day_before_the_first_class_and_before_each_class(app: App) -> None:
    await fill_course(Chat(app.dispatcher, user_id="diplomat"), "vietnamese-beginner", "Complete beginner")
    course = app.content.courses.get("vietnamese-beginner")
    rules = [rule for rule, _ in pending(await outbox(app))]
    assert rules[0] == "day-before"
    assert rules.count("day-before") == 1
    classes = [due + dt.timedelta(hours=3) for rule, due in pending(await outbox(app)) if rule == "class"]
    assert classes[0] == dt.datetime.combine(course.starts, dt.time(17, 30), HANOI)
    assert {moment.weekday() for moment in classes} == {1, 3}, "Tuesdays and Thursdays"
    assert classes[-1].date() <= course.ends


async def test_a_time_moved_in_the_content_moves_the_reminders_and_tells_the_registrants(
    editable_app: App, content_dir: Path, settings: Settings, clock: FakeClock, detector: LanguageDetector,
    answerer: Answerer,
) -> None:  # fmt: skip
    chat = Chat(editable_app.dispatcher, user_id="visitor")
    await fill_tour(chat, SON_TAY, "Claire Martin")
    await chat.press_payload("lang:fr")
    await editable_app.close()
    edit_content(content_dir, "date: 2027-02-20", "date: 2027-02-21")
    edit_content(content_dir, 'departure: "07:30"\n  return: "17:30"', 'departure: "08:00"\n  return: "17:30"')
    restarted = await build_app(settings.model_copy(update={"content_dir": content_dir}), clock=clock,
                                detector=detector, answerer=answerer)  # fmt: skip
    try:
        rows = await outbox(restarted)
        assert [row.status for row in rows if row.due_at < hanoi(2027, 2, 20, 12)] == ["cancelled", "cancelled"]
        assert pending(rows) == [("day-before", hanoi(2027, 2, 20, 18)), ("departure", hanoi(2027, 2, 21, 6))]
        [notice] = await outbox(restarted, "time_changed")
        channel = CollectingChannel()
        assert await delivery(restarted, channel, clock).send_due() == 1
        [(_, [reply])] = channel.sent
        french = restarted.catalogs.locale("fr")
        assert reply.text.startswith("🕒 Nouvel horaire")
        assert french.time(hanoi(2027, 2, 21, 8)) in reply.text
        assert french.datetime(hanoi(2027, 2, 20, 7, 30)) in reply.text, "the old time is named too"
        again = await build_app(settings.model_copy(update={"content_dir": content_dir}), clock=clock,
                                detector=detector, answerer=answerer)  # fmt: skip
        await again.close()
        assert len(await outbox(restarted, "time_changed")) == 1, "an unchanged content tells nobody again"
        assert notice.status == "pending"
    finally:
        await restarted.close()


async def test_a_late_booking_gets_only_the_reminders_still_ahead(
    editable_app: App, content_dir: Path, settings: Settings, clock: FakeClock, detector: LanguageDetector,
    answerer: Answerer,
) -> None:  # fmt: skip
    await editable_app.close()
    edit_content(content_dir, "registration_deadline: 2027-02-15T17:00", "registration_deadline: 2027-02-20T06:00")
    clock.advance(hanoi(2027, 2, 19, 19) - clock.now())  # the evening before, after the 18:00 reminder
    app = await build_app(settings.model_copy(update={"content_dir": content_dir}), clock=clock, detector=detector,
                          answerer=answerer)  # fmt: skip
    try:
        await fill_tour(Chat(app.dispatcher, user_id="late"), SON_TAY, "Late Comer")
        assert pending(await outbox(app)) == [("departure", hanoi(2027, 2, 20, 5, 30))]
    finally:
        await app.close()


async def test_after_a_downtime_reminders_past_their_grace_are_skipped_not_sent_late(
    app: App, clock: FakeClock
) -> None:
    await fill_tour(Chat(app.dispatcher, user_id="visitor"), SON_TAY, "Anna Schmidt")
    channel = CollectingChannel()
    clock.advance(hanoi(2027, 2, 19, 18, 30) - clock.now())  # half an hour late: still useful
    assert await delivery(app, channel, clock).send_due() == 1
    clock.advance(hanoi(2027, 2, 20, 7, 45) - clock.now())  # down until after the coach left
    assert await delivery(app, channel, clock).send_due() == 0
    rows = await outbox(app)
    assert [(row.params["rule"], row.status) for row in rows] == [("day-before", "sent"), ("departure", "skipped")]
    assert len(channel.sent) == 1


async def test_a_reminder_is_in_the_recipients_current_language_and_asks_if_they_still_come(
    app: App, clock: FakeClock
) -> None:
    async with app.sessions() as session, session.begin():
        await session.execute(update(Offering).where(Offering.id == SON_TAY).values(capacity=1))
    visitor = Chat(app.dispatcher, user_id="visitor", language_hint="en")
    await fill_tour(visitor, SON_TAY, "Anna Schmidt")
    waiting = Chat(app.dispatcher, user_id="waiting")
    await fill_tour(waiting, SON_TAY, "Kim Minji")
    await waiting.press_payload("lang:ko")
    await visitor.press_payload("lang:ja")  # after registering in English, the visitor switches to Japanese
    channel = CollectingChannel()
    clock.advance(hanoi(2027, 2, 19, 18) - clock.now())
    assert await delivery(app, channel, clock).send_due() == 1
    [(chat_id, [reminder])] = channel.sent
    japanese = app.catalogs.locale("ja")
    tour = app.content.tours.get(SON_TAY)
    assert chat_id == "visitor"
    assert tour.title("ja") in reminder.text
    assert japanese.gettext("Still coming?") in reminder.text
    assert tour.meeting_point.name("ja") in reminder.text

    visitor.last = [reminder]
    await visitor.press(japanese.gettext("✅ Yes, I'm coming"))
    async with app.sessions() as session:
        confirmed = (await session.scalars(select(Registration).where(Registration.status == "confirmed"))).one()
    assert confirmed.coming_confirmed_at == clock.now()

    visitor.last = [reminder]
    await visitor.press(japanese.gettext("Cancel my place"))
    await visitor.press(japanese.gettext("✖ Yes, cancel it"))
    [offer] = await outbox(app, "offer")
    assert offer.due_at == clock.now(), "the freed seat is offered at once"
    assert await delivery(app, channel, clock).send_due() == 1
    assert channel.sent[-1][0] == "waiting"
    korean_buttons = [button.label for button in channel.sent[-1][1][0].all_buttons()]
    assert app.catalogs.locale("ko").gettext("✅ Accept") in korean_buttons


async def test_the_day_of_departure_reminder_carries_the_meeting_point(app: App, clock: FakeClock) -> None:
    visitor = Chat(app.dispatcher, user_id="visitor")
    await fill_tour(visitor, SON_TAY, "Ivan Petrov")
    await visitor.press_payload("lang:ru")
    channel = CollectingChannel()
    clock.advance(hanoi(2027, 2, 20, 5, 30) - clock.now())
    assert await delivery(app, channel, clock).send_due() == 1, "the day-before one is past its grace"
    [(_, [reminder])] = channel.sent
    tour = app.content.tours.get(SON_TAY)
    assert reminder.venue is not None
    assert (reminder.venue.latitude, reminder.venue.longitude) == (tour.meeting_point.location.lat,
                                                                   tour.meeting_point.location.lon)  # fmt: skip
    assert "07:30" in reminder.text


async def test_reminders_can_be_switched_off_and_on_per_registration(app: App) -> None:
    chat = Chat(app.dispatcher, user_id="visitor")
    await fill_tour(chat, SON_TAY, "Anna Schmidt")
    await chat.press_payload("my")
    await chat.press("Sơn Tây")
    assert "Reminders are on" in chat.text
    await chat.press("Turn reminders off")
    assert "Reminders are off" in chat.text
    assert [row.status for row in await outbox(app)] == ["cancelled", "cancelled"]
    await chat.press("Turn reminders on")
    assert [row.status for row in await outbox(app)] == ["pending", "pending"]


async def test_remind_me_of_an_event(app: App, clock: FakeClock) -> None:
    chat = Chat(app.dispatcher, user_id="visitor", language_hint="vi")
    await chat.press_payload("event:run-for-children")
    await chat.press("🔔")
    [row] = await outbox(app, "event_reminder")
    assert (row.status, row.due_at) == ("pending", hanoi(2027, 5, 29, 18))
    await chat.press_payload("event:run-for-children")
    await chat.press("🔕")
    assert [row.status for row in await outbox(app, "event_reminder")] == ["cancelled"]
    await chat.press_payload("event:run-for-children")
    await chat.press("🔔")
    channel = CollectingChannel()
    clock.advance(hanoi(2027, 5, 29, 18) - clock.now())
    assert await delivery(app, channel, clock).send_due() == 1
    event = app.content.events.get("run-for-children")
    assert event.title("vi") in channel.sent[0][1][0].text


async def test_a_recipient_who_blocked_the_bot_is_marked_and_their_reminders_stop(app: App, clock: FakeClock) -> None:
    await fill_tour(Chat(app.dispatcher, user_id="gone"), SON_TAY, "Anna Schmidt")

    class Blocked(CollectingChannel):
        async def send(self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE) -> None:
            raise RecipientUnreachable("Forbidden: bot was blocked by the user")

    clock.advance(hanoi(2027, 2, 19, 18) - clock.now())
    assert await delivery(app, Blocked(), clock).send_due() == 0
    rows = await outbox(app)
    assert [row.status for row in rows] == ["skipped", "skipped"]
    assert rows[0].last_error == "Forbidden: bot was blocked by the user"
    async with app.sessions() as session:
        assert (await session.scalars(select(User.blocked).where(User.external_id == "gone"))).one()


def test_the_rules_file_of_the_sample_is_the_default_and_mistakes_are_named(content_dir: Path) -> None:
    assert load_rules(PROJECT_ROOT / "content") == DEFAULT_RULES
    assert rule_problems(PROJECT_ROOT / "content") == []
    path = content_dir / "reminders.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("hours_before: 2,", "hours_before: 2, at: '18:00',"))
    assert [str(problem) for problem in rule_problems(content_dir)] == [
        "reminders.yaml: tour.1: Value error, give either days_before with at, or hours_before"
    ]
