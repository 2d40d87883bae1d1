"""Broadcasts: each recipient reads their own language (or the fallback the preview announced), audiences
respect subscriptions, and bad audiences or files are named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.core.clock import FakeClock
from bot.core.languages import LANGUAGES
from bot.db.models import OutboxMessage, User
from bot.scheduling.delivery import Delivery
from bot.services.broadcasts import (
    Announcement,
    AnnouncementError,
    AudienceError,
    Broadcasts,
    parse_audience,
    read_announcement,
)
from handlers.notices import NOTICES
from tests.chat import Chat, CollectingChannel
from tests.handlers.test_registration import fill_tour

TEXTS = {"vi": "Kính gửi quý vị: lễ trồng cây hữu nghị dời sang 9 giờ.",
         "en": "Dear friends: the friendship tree planting moves to 9:00.",
         "fr": "Chers amis : la plantation d’arbres de l’amitié est avancée à 9 h."}  # fmt: skip


async def add_people(app: App, clock: FakeClock, languages: list[str]) -> None:
    async with app.sessions() as session, session.begin():
        session.add_all(
            User(channel="test", external_id=f"reader-{language}", language=language, role="user",
                 created_at=clock.now(), last_seen_at=clock.now(), blocked=False)
            for language in languages
        )  # fmt: skip


async def deliver(app: App, clock: FakeClock) -> CollectingChannel:
    channel = CollectingChannel()
    await Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {"test": channel}, clock).send_due()
    return channel


async def test_seven_languages_read_their_own_text_or_english_with_a_note(app: App, clock: FakeClock) -> None:
    await add_people(app, clock, list(LANGUAGES))
    async with app.sessions() as session, session.begin():
        broadcast = await Broadcasts(session, clock).send(
            Announcement(TEXTS, button="peace-tree-planting"), parse_audience("everyone", app.content),
            urgent=False, channels=["test"],
        )  # fmt: skip
    assert broadcast.recipients == 7
    sent = dict((await deliver(app, clock)).sent)
    assert set(sent) == {f"reader-{language}" for language in LANGUAGES}
    for language in LANGUAGES:
        [reply] = sent[f"reader-{language}"]
        locale = app.catalogs.locale(language)
        own = language in TEXTS
        assert TEXTS[language if own else "en"] in reply.text, language
        note = locale.gettext("(This announcement is not available in your language.)")
        assert (note in reply.text) is not own, language
        labels = [button.label for button in reply.all_buttons()]
        assert labels == [locale.gettext("📄 Details"), locale.gettext("🔕 Stop these announcements")], language
    async with app.sessions() as session:
        progress = await Broadcasts(session, clock).progress(broadcast)
    assert (progress.sent, progress.remaining) == (7, 0)


async def test_a_broadcast_is_queued_once_per_person_and_due_when_asked(app: App, clock: FakeClock) -> None:
    await add_people(app, clock, ["en", "ru"])
    later = clock.now() + dt.timedelta(days=1)
    async with app.sessions() as session, session.begin():
        broadcast = await Broadcasts(session, clock).send(Announcement(TEXTS), parse_audience("lang:ru", app.content),
                                                          urgent=False, channels=["test"], due_at=later)  # fmt: skip
    async with app.sessions() as session:
        rows = (await session.scalars(select(OutboxMessage).where(OutboxMessage.template == "broadcast"))).all()
    assert [(row.due_at, row.dedup_key) for row in rows] == [(later, f"broadcast:{broadcast.id}:{rows[0].user_id}")]
    assert (await deliver(app, clock)).sent == [], "not before its time"


async def test_audiences_respect_subscriptions_and_urgent_reaches_registrants(app: App, clock: FakeClock) -> None:
    tour = "spring-2027-co-loa"
    visitor, other = Chat(app.dispatcher, user_id="visitor"), Chat(app.dispatcher, user_id="other")
    await fill_tour(visitor, tour, "Anna Schmidt")
    await other.send("/start")
    await other.send("/subscribe bulletin")
    await visitor.send("/unsubscribe")

    async def names(audience: str, urgent: bool = False) -> list[str]:
        async with app.sessions() as session:
            people = await Broadcasts(session, clock).audience(parse_audience(audience, app.content),
                                                               urgent=urgent, channels=["test"])  # fmt: skip
        return [person.external_id for person in people]

    assert await names("everyone") == ["other"]
    assert await names(f"tour:{tour}") == [], "the visitor left announcements"
    assert await names(f"tour:{tour}", urgent=True) == ["visitor"], "an urgent notice about their tour reaches them"
    assert await names(f"tour:{tour}:waiting", urgent=True) == []
    assert await names("subscribers") == ["other"]
    assert await names("everyone") == await names("lang:en")


@pytest.mark.parametrize(
    ("audience", "problem"),
    [
        ("all", "unknown audience 'all'"),
        ("lang:de", "unknown language 'de'"),
        ("tour:moon", "no tour has the id 'moon'"),
        ("course:vietnamese-beginner:paid", "unknown status 'paid'"),
        ("everyone:now", "takes nothing after it"),
        ("event:new-year-gala:confirmed", "unknown status 'confirmed'"),
    ],
)
def test_a_bad_audience_is_named(app: App, audience: str, problem: str) -> None:
    with pytest.raises(AudienceError, match=problem):
        parse_audience(audience, app.content)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("en: Hello\nde: Hallo\n", "unknown language code 'de'"),
        ("en: ''\n", "the 'en' text is empty"),
        ("button: tour-of-the-moon\nen: Hello\n", "no tour, course, event, site or quiz contest has the id 'tour-of"),
        ("- en\n", "must map language codes to texts"),
        ("en: [unclosed\n", "not valid YAML"),
        ("button: co-loa\n", "no text in any language"),
    ],
)
def test_a_bad_announcement_file_is_named(app: App, tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "announcement.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AnnouncementError, match=problem):
        read_announcement(path, app.content)
