"""Composing a broadcast in chat: staff only at every step, the audience, texts in several languages, the
preview per language, a test send, sending now or at a local time, listing and cancelling; all audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from sqlalchemy import select

from bot.app import App
from bot.core.clock import FakeClock
from bot.core.messages import Priority, Reply
from bot.db.models import AuditEntry, OutboxMessage, User
from bot.runtime import retention
from bot.scheduling.delivery import Delivery
from bot.scheduling.housekeeping import Housekeeping
from handlers.notices import NOTICES
from tests.chat import Chat, CollectingChannel
from tests.handlers.test_registration import fill_tour
from tests.services.test_broadcasts import add_people

STAFF_STEPS = [
    "/broadcast", "/broadcasts", "bc", "bckind:everyone", "bcitem:lang:fr", "bcstat:tour:spring-2027-co-loa:all",
    "bcadd", "bcprev", "bctest", "bcsend", "bcok", "bclater", "bccancel:1", "bcdrop", "bclist",
]  # fmt: skip


async def broadcast_rows(app: App) -> list[OutboxMessage]:
    async with app.sessions() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.template == "broadcast"))
        return list(rows.all())


@pytest.mark.parametrize("language", ["en", "vi", "ko"])
async def test_everyone_but_staff_is_refused_at_every_step(app: App, language: str) -> None:
    visitor = Chat(app.dispatcher, user_id=f"visitor-{language}", language_hint=language)
    refusal = app.catalogs.locale(language).gettext("Sorry, this is only for HAUFO staff.")
    for step in STAFF_STEPS:
        replies = await (visitor.send(step) if step.startswith("/") else visitor.press_payload(step))
        assert replies[0].text == refusal, (language, step)
    assert await broadcast_rows(app) == []


async def test_compose_in_french_preview_test_and_send_now(app: App, clock: FakeClock) -> None:
    await add_people(app, clock, ["vi", "en", "fr", "ru", "ja"])
    admin = Chat(app.dispatcher, user_id="admin", language_hint="fr")
    fr = app.catalogs.locale("fr")
    await admin.send("/broadcast")
    await admin.press(fr.gettext("👥 Everyone"))
    assert fr.gettext("Write the announcement in {language}:").format(language="Français") in admin.text
    await admin.send("Chers amis, la plantation d’arbres de l’amitié commence à 9 h.")
    assert fr.gettext("📣 Draft announcement") in admin.text
    assert "Français: 2 ✓" in admin.text, "the reader in French and the administrator"
    await admin.press(fr.gettext("➕ Add a language"))
    await admin.press("English")
    await admin.send("Dear friends, the friendship tree planting starts at 9:00.")
    assert "English: 1 ✓" in admin.text
    assert "Русский" in admin.text.split("\n")[-1], "the draft names who gets a fallback"

    previews = await admin.press(fr.gettext("👁 Preview"))
    by_group = [reply.text for reply in previews[:-1]]
    assert len(by_group) == 5, "one preview per language group of the audience"
    russian = next(text for text in by_group if "Русский" in text.split("\n")[0])
    assert "Dear friends" in russian
    assert app.catalogs.locale("ru").gettext("(This announcement is not available in your language.)") in russian

    [test, *_draft] = await admin.press(fr.gettext("🧪 Send it to me"))
    assert test.text.startswith("📣 Chers amis")
    assert await broadcast_rows(app) == [], "previews and the test send queue nothing"

    await admin.press(fr.gettext("📤 Send now"))
    await admin.press(fr.gettext("📤 Yes, send it"))
    rows = await broadcast_rows(app)
    assert len(rows) == 6, "five readers and the administrator, who receives announcements too"
    channel = CollectingChannel()
    await Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {"test": channel}, clock).send_due()
    sent = dict(channel.sent)
    assert "Chers amis" in sent["reader-fr"][0].text
    assert "Dear friends" in sent["reader-ja"][0].text
    async with app.sessions() as session:
        actions = [entry.action for entry in (await session.scalars(select(AuditEntry))).all()]
    assert actions == ["broadcast"]


async def test_schedule_list_and_cancel_before_it_starts(app: App, clock: FakeClock) -> None:
    await add_people(app, clock, ["en", "vi"])
    admin = Chat(app.dispatcher, user_id="admin", language_hint="en")
    await admin.press_payload("bc")
    await admin.press("One language")
    await admin.press("Tiếng Việt")
    await admin.send("Kính gửi quý vị: lịch học tuần tới không thay đổi.")
    await admin.press("Send later")
    await admin.send("tomorrow morning")
    assert "YYYY-MM-DD HH:MM" in admin.text
    await admin.send("2020-01-01 08:00")
    assert "has passed" in admin.text
    due = (clock.now() + dt.timedelta(days=2)).astimezone(app.settings.zone).replace(hour=8, minute=0)
    await admin.send(due.strftime("%Y-%m-%d %H:%M"))
    assert "Scheduled for" in admin.text and "1 person" in admin.text
    [row] = await broadcast_rows(app)
    assert row.due_at == due

    await admin.send("/broadcasts")
    assert "readers of Tiếng Việt (1)" in admin.text
    await admin.press("Cancel this broadcast")
    assert "nobody will receive it" in admin.text
    await admin.press_payload(f"bccancel:{row.params['broadcast']}")  # pressed again
    assert "already started or was cancelled" in admin.text
    assert [r.status for r in await broadcast_rows(app)] == ["cancelled"]
    await admin.send("/broadcasts")
    assert "No broadcast is scheduled" in admin.text
    async with app.sessions() as session:
        actions = [entry.action for entry in (await session.scalars(select(AuditEntry))).all()]
    assert actions == ["broadcast", "broadcast-cancel"]


async def test_an_urgent_notice_about_a_tour_reaches_registrants_who_left_announcements(
    app: App, clock: FakeClock
) -> None:
    visitor = Chat(app.dispatcher, user_id="visitor", language_hint="en")
    await fill_tour(visitor, "spring-2027-co-loa", "Anna Schmidt")
    await visitor.send("/unsubscribe")
    admin = Chat(app.dispatcher, user_id="admin", language_hint="en")
    await admin.press_payload("bckind:tour")
    await admin.press("Cổ Loa")
    await admin.press("Every active registration")
    await admin.send("The Cổ Loa tour is called off: a storm is forecast.")
    assert "0 recipients" in admin.text
    await admin.press("Urgent: off")
    assert "1 recipient" in admin.text
    await admin.press("Send now")
    await admin.press("Yes, send it")
    [row] = await broadcast_rows(app)
    async with app.sessions() as session:
        user = await session.get(User, row.user_id)
    assert user is not None and user.external_id == "visitor"


class NumberingChannel(CollectingChannel):
    """A collecting channel that gives every message a platform id, as Telegram does."""

    async def send(  # type: ignore[override]
        self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE
    ) -> str:
        await super().send(chat_id, replies, priority=priority)
        return str(len(self.sent))


async def test_correct_then_withdraw_a_sent_broadcast_from_the_chat(app: App, clock: FakeClock) -> None:
    await add_people(app, clock, ["vi", "en"])
    admin = Chat(app.dispatcher, user_id="admin", language_hint="en")
    await admin.send("/unsubscribe")  # the administrator stays out of the audience
    await admin.press_payload("bckind:everyone")
    await admin.send("The planting starts at 8:00.")
    await admin.press("Send now")
    await admin.press("Yes, send it")
    channel = NumberingChannel()
    deliver = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {"test": channel}, clock)
    assert await deliver.send_due() == 2

    await admin.send("/broadcasts")
    await admin.press("Sent broadcasts")
    assert "sent 2, blocked 0, failed 0, remaining 0" in admin.text
    await admin.press("Correct")
    await admin.press("English")
    assert "It was:\nThe planting starts at 8:00." in admin.text
    await admin.send("The planting starts at 9:00.")
    assert "2 delivered copies are being corrected" in admin.text
    channel.sent.clear()
    assert await deliver.send_due() == 2
    corrections = dict(channel.sent)
    assert all(replies[0].edits in ("1", "2") for replies in corrections.values())
    assert "9:00" in corrections["reader-vi"][0].text, "the Vietnamese reader had the English text"

    await admin.press("Sent broadcasts")
    await admin.press("Withdraw")
    await admin.press("Yes, withdraw it")
    assert "2 delivered copies are being removed" in admin.text
    channel.sent.clear()
    assert await deliver.send_due() == 2
    withdrawals = dict(channel.sent)
    assert {replies[0].withdraws for replies in withdrawals.values()} == {"1", "2"}
    vietnamese = app.catalogs.locale("vi")
    notice = vietnamese.gettext("📣 An announcement sent to you earlier has been withdrawn; please disregard it.")
    assert withdrawals["reader-vi"][0].text == notice
    async with app.sessions() as session:
        actions = [entry.action for entry in (await session.scalars(select(AuditEntry))).all()]
    assert actions == ["broadcast", "broadcast-correct", "broadcast-withdraw"]

    visitor = Chat(app.dispatcher, user_id="reader-en")
    for step in ("bcsent", "bcfix:1", "bcfixl:1:en", "bcdel:1", "bcdelok:1"):
        [refusal] = await visitor.press_payload(step)
        assert refusal.text == "Sorry, this is only for HAUFO staff.", step


async def test_progress_is_one_message_edited_in_place_and_a_broadcast_pauses_resumes_and_stops(
    app: App, clock: FakeClock
) -> None:
    await add_people(app, clock, ["vi", "en", "ko"])
    admin = Chat(app.dispatcher, user_id="admin", language_hint="en")
    await admin.send("/unsubscribe")
    channel = NumberingChannel()
    deliver = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {"test": channel}, clock)
    housekeeping = Housekeeping(app.sessions, app.published, clock, app.settings.zone,
                                retention=retention(app.settings))  # fmt: skip

    async def compose(text: str) -> int:
        await admin.press_payload("bckind:everyone")
        await admin.send(text)
        await admin.press("Send now")
        await admin.press("Yes, send it")
        return int((await broadcast_rows(app))[-1].params["broadcast"])

    first = await compose("Tree planting at 9:00.")
    await admin.press_payload(f"bcpause:{first}")
    assert "Paused" in admin.text
    assert await housekeeping.report_broadcasts() == 1
    assert await deliver.send_due() == 1, "only the report goes out: the deliveries are held"
    [(to, [report])] = channel.sent
    assert to == "admin"
    assert "0 of 3 sent" in report.text and "Paused" in report.text
    assert [button.label for button in report.all_buttons()] == ["▶ Resume", "⏹ Stop"]

    await admin.press_payload(report.all_buttons()[0].payload or "")
    assert "Resumed" in admin.text
    channel.sent.clear()
    assert await deliver.send_due() == 3
    assert await housekeeping.report_broadcasts() == 1
    assert await deliver.send_due() == 1
    [update] = [replies[0] for to, replies in channel.sent if to == "admin"]
    assert update.edits == "1", "the report is edited in place"
    assert "3 of 3 sent" in update.text and "Finished" in update.text
    assert await housekeeping.report_broadcasts() == 0, "nothing moved, nothing reported"

    second = await compose("The gala is postponed.")
    await admin.press_payload(f"bcstop:{second}")
    assert "3 deliveries were cancelled" in admin.text
    await admin.press_payload(f"bcstop:{second}")
    assert "no longer in that state" in admin.text
    async with app.sessions() as session:
        actions = [entry.action for entry in (await session.scalars(select(AuditEntry))).all()]
    assert actions == ["broadcast", "broadcast-pause", "broadcast-resume", "broadcast", "broadcast-stop"]
