"""Registration forms in chat: every step checked, Back, Cancel, resume, saved details, outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from bot.app import App, build_app
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.db.models import Offering, Registration
from bot.services.answers import Answerer
from bot.services.registration import Registrations, purge_personal_data
from tests.chat import Chat


def t(app: App, language: str, message: str, **values: object) -> str:
    text = app.catalogs.locale(language).gettext(message)  # type: ignore[arg-type]
    return text.format(**values) if values else text


async def registrations(app: App) -> list[Registration]:
    async with app.sessions() as session:
        return list((await session.scalars(select(Registration).order_by(Registration.id))).all())


async def set_capacity(app: App, offering_id: str, capacity: int) -> None:
    async with app.sessions() as session, session.begin():
        await session.execute(update(Offering).where(Offering.id == offering_id).values(capacity=capacity))


@pytest.mark.parametrize("language", ["en", "fr", "ja", "vi"])
async def test_course_registration_with_every_validation_error(app: App, language: str) -> None:
    chat = Chat(app.dispatcher, language_hint=language)
    await chat.press_payload("course:vietnamese-beginner")
    await chat.press(t(app, language, "📝 Register"))
    assert t(app, language, "Your full name, as in your passport:") in chat.text
    await chat.send("   ")
    assert t(app, language, "Please type the name; it cannot be empty.") in chat.text
    await chat.send("Anna\x07 Müller")
    assert t(app, language, "Please type plain text, without control characters.") in chat.text
    await chat.send("A" * 101)
    assert t(app, language, "That is too long: at most {limit} characters, please.", limit=100) in chat.text
    await chat.send("R2-D2")
    assert t(app, language, "A name may contain only letters, spaces, hyphens, apostrophes and dots.") in chat.text
    await chat.send("Anna Müller")
    assert t(app, language, "Your organisation or embassy:") in chat.text
    await chat.press(t(app, language, "◀ Back"))
    assert t(app, language, "Your full name, as in your passport:") in chat.text
    await chat.send("Anna-Maria Müller")
    await chat.send("Embassy of Austria")
    await chat.send("Second Secretary")
    await chat.send("Austrian")
    await chat.send("anna@@embassy")
    assert t(app, language, "That does not look like an e-mail address. Example: name@embassy.org") in chat.text
    await chat.send("anna.mueller@bmeia.gv.at")
    await chat.send("12345")
    assert t(app, language, "That does not look like a phone number. Example: +84 912 345 678") in chat.text
    await chat.press(t(app, language, "Skip"))
    await chat.send("I know a bit")
    assert t(app, language, "Please choose one of the buttons.") in chat.text
    await chat.press(t(app, language, "I know the basics"))
    await chat.press(t(app, language, "✅ I agree"))
    summary = chat.text
    assert "Anna-Maria Müller" in summary
    assert "anna.mueller@bmeia.gv.at" in summary
    await chat.press(t(app, language, "✅ Confirm"))
    title = app.content.courses.get("vietnamese-beginner").title(language)  # type: ignore[arg-type]
    assert t(app, language, "✅ Your place for {title} is confirmed. See you there!", title=title) in chat.text
    [registration] = await registrations(app)
    assert registration.status == "confirmed"
    assert registration.details["phone"] == ""
    assert registration.consent_version
    assert registration.consented_at is not None


@pytest.mark.parametrize("language", ["ru", "zh", "ko"])
async def test_tour_with_guests_cancel_resume_and_saved_details(app: App, language: str) -> None:
    chat = Chat(app.dispatcher, language_hint=language)
    await chat.press_payload("register:spring-2027-co-loa")
    await chat.send("Ivan Petrov")
    await chat.press(t(app, language, "✖ Cancel"))
    assert t(app, language, "Registration cancelled. Nothing was saved.") in chat.text
    await chat.press_payload("register:spring-2027-co-loa")
    await chat.send("Ivan Petrov")
    await chat.send("Russian")
    await chat.press_payload("events:0")  # goes elsewhere: the form waits
    await chat.send("Hello")  # not taken as an answer
    assert t(app, language, "How many guests will come with you?") not in chat.text
    await chat.press_payload("register:spring-2027-co-loa")
    assert t(app, language, "Welcome back! Let us continue where you left off.") in chat.text
    assert t(app, language, "How many guests will come with you?") in chat.text
    await chat.press("2")
    await chat.send("Olga Petrova")
    assert t(app, language, "Full name of guest {number}, as in the passport:", number=2) in chat.text
    await chat.send("Masha Petrova")
    await chat.send("not a contact")
    assert t(app, language, "Please type an e-mail address or a phone number.") in chat.text
    await chat.send("+7 495 123-45-67")
    await chat.press(t(app, language, "Skip"))
    await chat.press(t(app, language, "✅ I agree"))
    assert "Olga Petrova, Masha Petrova" in chat.text
    await chat.press(t(app, language, "✅ Confirm"))
    [registration] = await registrations(app)
    assert registration.seats == 3
    assert registration.details["guest_names"] == ["Olga Petrova", "Masha Petrova"]
    assert registration.details["contact"] == "+7 495 123-45-67"

    await chat.press_payload("register:spring-2027-chua-thay")
    await chat.press(t(app, language, "✅ Use my saved details"))
    assert t(app, language, "How many guests will come with you?") in chat.text
    await chat.press("0")
    await chat.press(t(app, language, "Skip"))
    await chat.press(t(app, language, "✅ I agree"))
    await chat.press(t(app, language, "✅ Confirm"))
    second = (await registrations(app))[-1]
    assert (second.details["name"], second.details["contact"], second.seats) == ("Ivan Petrov", "+7 495 123-45-67", 1)

    await chat.press_payload("register:spring-2027-co-loa")
    title = app.content.tours.get("spring-2027-co-loa").title(language)  # type: ignore[arg-type]
    assert t(app, language, "You are already registered for {title}.", title=title) in chat.text


async def fill_tour(chat: Chat, offering_id: str, name: str, guests: int = 0) -> None:
    await chat.press_payload(f"register:{offering_id}")
    if "Use my saved details" in chat.text:
        await chat.press("Type them again")
    await chat.send(name)
    await chat.send("Japanese")
    await chat.press(str(guests))
    for number in range(guests):
        await chat.send(f"Guest {chr(65 + number)}")
    await chat.send(f"{name.split()[0].lower()}@example.org")
    await chat.press("Skip")
    await chat.press("I agree")
    await chat.press("Confirm")


async def test_full_tour_waiting_list_offer_accept_decline_and_expiry(app: App, clock: FakeClock) -> None:
    tour = "spring-2027-chua-thay"
    await set_capacity(app, tour, 2)
    first, second, big, small = (Chat(app.dispatcher, user_id=u) for u in ("a", "b", "c", "d"))
    await fill_tour(first, tour, "Aiko Tanaka", guests=1)  # takes both seats
    await fill_tour(big, tour, "Kenji Sato", guests=1)  # waits, needs 2
    assert "You are number 1 on the waiting list" in big.text
    await fill_tour(small, tour, "Yuki Ito")  # waits, needs 1
    assert "You are number 2 on the waiting list" in small.text

    await fill_tour(second, tour, "Emi Kato")
    await first.press_payload("my")
    await first.press("Thầy Pagoda")  # the registration's own button carries its title
    await first.press("Cancel my place")
    await first.press("Yes, cancel it")
    statuses = {r.details["name"]: r.status for r in await registrations(app)}
    assert statuses["Kenji Sato"] == "offered", "the first party that fits gets the offer"
    assert statuses["Yuki Ito"] == "waiting"

    await big.press_payload("my")
    await big.press("Thầy Pagoda")
    await big.press("Decline")
    statuses = {r.details["name"]: r.status for r in await registrations(app)}
    assert statuses["Kenji Sato"] == "declined"
    assert statuses["Yuki Ito"] == "offered"
    assert statuses["Emi Kato"] == "offered", "a smaller party behind is served too"

    await small.press_payload("my")
    await small.press("Thầy Pagoda")
    await small.press("Accept")
    assert "is confirmed" in small.text
    clock.advance(dt.timedelta(hours=25))
    async with app.sessions() as session, session.begin():
        service = Registrations(session, app.content, clock, app.settings.zone, app.rules)
        await service.waiting_list.expire_offers()
    statuses = {r.details["name"]: r.status for r in await registrations(app)}
    assert statuses["Emi Kato"] == "declined", "an unanswered offer lapses"
    assert statuses["Yuki Ito"] == "confirmed"


async def test_forged_buttons_cannot_touch_another_users_registration(app: App) -> None:
    owner, intruder = Chat(app.dispatcher, user_id="owner"), Chat(app.dispatcher, user_id="intruder")
    await fill_tour(owner, "spring-2027-co-loa", "Lan Nguyen")
    [registration] = await registrations(app)
    stale = "That button is out of date. Here is the main menu:"
    own = registration.id
    forged = [f"mycancel:{own}:yes", f"offer:{own}:yes", f"myreg:{own}", f"offer:{own}:no", "regstep:confirm",
              "regstep:guests:9", "mycancel:999999:yes"]  # fmt: skip
    for payload in forged:
        await intruder.press_payload(payload)
        assert stale in intruder.text, payload
    assert (await registrations(app))[0].status == "confirmed"


async def test_registration_closes_at_the_deadline(app: App, clock: FakeClock) -> None:
    clock.advance(dt.datetime(2027, 2, 23, 10, 0, tzinfo=dt.UTC) - clock.now())
    chat = Chat(app.dispatcher)
    await chat.press_payload("register:spring-2027-co-loa")
    assert "closed on" in chat.text


async def fill_course(chat: Chat, offering_id: str, level: str) -> None:
    await chat.press_payload(f"register:{offering_id}")
    for answer in ["Jean Dupont", "Ambassade de France", "Attaché", "French", "jean@diplomatie.gouv.fr"]:
        await chat.send(answer)
    await chat.press("Skip")
    await chat.press(level)
    await chat.press("I agree")
    await chat.press("Confirm")


async def test_course_with_approval_is_pending(app: App) -> None:
    chat = Chat(app.dispatcher)
    await fill_course(chat, "vietnamese-advanced", "Fluent")
    assert "Staff will confirm your place" in chat.text
    assert (await registrations(app))[0].status == "pending"


async def test_raised_capacity_offers_the_new_seats(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> None:
    tour = "spring-2027-co-loa"
    app = await build_app(settings, clock=clock, detector=detector, answerer=answerer)
    await set_capacity(app, tour, 1)
    await fill_tour(Chat(app.dispatcher, user_id="first"), tour, "First Person")
    await fill_tour(Chat(app.dispatcher, user_id="second"), tour, "Second Person")
    await app.close()
    restarted = await build_app(settings, clock=clock, detector=detector, answerer=answerer)
    statuses = {r.details["name"]: r.status for r in await registrations(restarted)}
    await restarted.close()
    assert statuses == {"First Person": "confirmed", "Second Person": "offered"}


async def test_purge_erases_personal_data_after_the_offering(app: App, clock: FakeClock) -> None:
    await fill_tour(Chat(app.dispatcher, user_id="old"), "spring-2027-co-loa", "Old Visitor")
    half_a_year = dt.timedelta(days=180)
    async with app.sessions() as session, session.begin():
        assert await purge_personal_data(session, app.content, app.settings.zone, clock.now(), half_a_year) == 0
    clock.advance(dt.datetime(2027, 8, 27, tzinfo=dt.UTC) - clock.now())  # 181 days after the tour
    async with app.sessions() as session, session.begin():
        assert await purge_personal_data(session, app.content, app.settings.zone, clock.now(), half_a_year) == 1
    [registration] = await registrations(app)
    assert registration.details == {}
    assert registration.erased_at is not None
    assert (registration.status, registration.seats) == ("confirmed", 1)
