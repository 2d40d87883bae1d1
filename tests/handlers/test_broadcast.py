"""Composing a broadcast in chat: staff only at every step, the audience, texts in several languages, the
preview per language, a test send, sending now or at a local time, listing and cancelling; all audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.app import App
from bot.core.clock import FakeClock
from bot.db.models import AuditEntry, OutboxMessage, User
from bot.scheduling.delivery import Delivery
from handlers.notices import NOTICES
from tests.chat import Chat, CollectingChannel
from tests.handlers.test_registration import fill_tour

STAFF_STEPS = [
    "/broadcast", "/broadcasts", "bc", "bckind:everyone", "bcitem:lang:fr", "bcstat:tour:spring-2027-co-loa:all",
    "bcadd", "bcprev", "bctest", "bcsend", "bcok", "bclater", "bccancel:1", "bcdrop", "bclist",
]  # fmt: skip


async def readers(app: App, clock: FakeClock, languages: list[str]) -> None:
    async with app.sessions() as session, session.begin():
        session.add_all(
            User(channel="test", external_id=f"reader-{language}", language=language, role="user",
                 created_at=clock.now(), last_seen_at=clock.now(), blocked=False)
            for language in languages
        )  # fmt: skip


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
    await readers(app, clock, ["vi", "en", "fr", "ru", "ja"])
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
    await readers(app, clock, ["en", "vi"])
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
