"""Requests written as free text are carried out: a person, another language, reminders, cancelling, my
registrations' status, seats left, my place on the waiting list."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import App
from bot.db.models import Question, Registration, User
from tests.chat import Chat
from tests.handlers.test_registration import fill_tour, set_capacity, t

TOUR = "spring-2027-co-loa"


async def _registered(app: App, user_id: str) -> Chat:
    """A user (English) with a confirmed place on the tour."""
    chat = Chat(app.dispatcher, user_id=user_id, language_hint="en")
    await fill_tour(chat, TOUR, "Anna Kowalska")
    return chat


async def _user(app: App, external_id: str) -> User:
    async with app.sessions() as session:
        return (await session.scalars(select(User).where(User.external_id == external_id))).one()


@pytest.mark.parametrize(
    ("language", "request_text"),
    [
        ("en", "I would like to talk to a real person, not a bot"),
        ("fr", "Est-ce que je peux parler à quelqu'un de votre équipe ?"),
        ("vi", "cho mình nói chuyện với nhân viên được không"),
    ],
)
async def test_asking_for_a_person_offers_the_hand_off_with_the_office_contact(
    answering_app: App, language: str, request_text: str
) -> None:
    chat = Chat(answering_app.dispatcher, user_id=f"person-{language}", language_hint="en")
    await chat.send(request_text)
    assert answering_app.content.faq.get("contact").answer(language) in chat.text
    await chat.press(t(answering_app, language, "🙋 Ask our staff"))
    async with answering_app.sessions() as session:
        question = (await session.scalars(select(Question))).one()
    assert (question.status, question.text) == ("queued", request_text)


@pytest.mark.parametrize(
    ("request_text", "switched_to"),
    [
        ("please answer me in French from now on", "fr"),
        ("переключите, пожалуйста, бота на английский язык", "en"),
        ("请用日语回答我", "ja"),
    ],
)
async def test_asking_for_another_language_switches_to_it_and_says_so(
    answering_app: App, request_text: str, switched_to: str
) -> None:
    chat = Chat(answering_app.dispatcher, user_id=f"switch-{switched_to}", language_hint="ko")
    await chat.send(request_text)
    assert (await _user(answering_app, f"switch-{switched_to}")).language == switched_to
    language_name = {"fr": "Français", "en": "English", "ja": "日本語"}[switched_to]
    done = t(answering_app, switched_to, "Done! I will speak {language} with you.")
    assert chat.text == done.format(language=language_name)


async def test_asking_to_change_the_language_without_naming_one_shows_the_languages(answering_app: App) -> None:
    chat = Chat(answering_app.dispatcher, user_id="switch-unnamed", language_hint="en")
    await chat.send("how can I change the language of this bot?")
    assert chat.text == "Choose your language:"
    assert {"Français", "Русский", "한국어"} <= {button.label for button in chat.buttons()}


@pytest.mark.parametrize(
    ("language", "request_text"),
    [
        ("en", "please stop sending me reminders"),
        ("ru", "не присылайте мне больше напоминания"),
        ("ja", "リマインダーはもう送らないでください"),
    ],
)
async def test_asking_to_stop_reminders_opens_the_switch_of_each_confirmed_place(
    answering_app: App, language: str, request_text: str
) -> None:
    chat = await _registered(answering_app, f"reminded-{language}")
    await chat.send(request_text)
    title = answering_app.content.tours.get(TOUR).title(language)
    await chat.press(t(answering_app, language, "🔕 Turn off reminders: {title}", title=title))
    async with answering_app.sessions() as session:
        registration = (await session.scalars(select(Registration))).one()
    assert registration.reminders is False
    assert "🔕 Reminders are off." in chat.text, "the place's card, in the user's own language (English)"


@pytest.mark.parametrize(
    ("language", "request_text"),
    [
        ("en", "I need to cancel my registration"),
        ("fr", "je voudrais annuler mon inscription"),
        ("ko", "신청을 취소하고 싶습니다"),
    ],
)
async def test_asking_to_cancel_opens_my_registrations(answering_app: App, language: str, request_text: str) -> None:
    chat = await _registered(answering_app, f"cancelling-{language}")
    await chat.send(request_text)
    assert chat.text.startswith(t(answering_app, language, "📋 Your registrations:"))
    await chat.press(answering_app.content.tours.get(TOUR).title(language))
    await chat.press("Cancel my place")  # the screens behind the buttons speak the user's own language
    await chat.press("✖ Yes, cancel it")
    async with answering_app.sessions() as session:
        registration = (await session.scalars(select(Registration))).one()
    assert registration.status == "cancelled"


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("en", "What is the status of my booking?"),
        ("ru", "Какой сейчас статус у моей заявки?"),
        ("zh", "我的报名现在是什么状态？"),
    ],
)
async def test_asking_how_ones_registrations_stand_lists_them_with_their_status(
    answering_app: App, language: str, question: str
) -> None:
    chat = await _registered(answering_app, f"status-{language}")
    await chat.send(question)
    title = answering_app.content.tours.get(TOUR).title(language)
    assert chat.text.startswith(t(answering_app, language, "📋 Your registrations:"))
    assert f"• {title}: {t(answering_app, language, '✅ confirmed')}" in chat.text


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("en", "Has my place on the Co Loa tour been confirmed?"),
        ("vi", "Đăng ký đi Cổ Loa của tôi đã được xác nhận chưa?"),
        ("ja", "コーロアのツアー、私の申し込みは確定していますか？"),
    ],
)
async def test_asking_about_ones_place_on_a_tour_shows_it_on_the_tours_card(
    answering_app: App, language: str, question: str
) -> None:
    await set_capacity(answering_app, TOUR, 1)
    confirmed = Chat(answering_app.dispatcher, user_id=f"confirmed-{language}", language_hint="en")
    await fill_tour(confirmed, TOUR, "Aiko Tanaka")
    waiting = Chat(answering_app.dispatcher, user_id=f"waits-{language}", language_hint="en")
    await fill_tour(waiting, TOUR, "Kenji Sato")
    await confirmed.send(question)
    status = t(answering_app, language, "✅ confirmed")
    assert t(answering_app, language, "📋 Your registration: {status}", status=status) in confirmed.text
    await waiting.send(question)
    line = t(answering_app, language, "📋 Your registration: on the waiting list, number {position}", position=1)
    assert line in waiting.text
    assert answering_app.content.tours.get(TOUR).title(language) in waiting.text


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("en", "Are there any seats left on the Co Loa trip?"),
        ("vi", "Chuyến đi Cổ Loa còn chỗ không ạ?"),
        ("zh", "古螺那条线路还有名额吗？"),
    ],
)
async def test_seats_left_are_counted_from_the_registrations(answering_app: App, language: str, question: str) -> None:
    capacity = answering_app.content.tours.get(TOUR).seats
    booker = Chat(answering_app.dispatcher, user_id=f"booker-{language}", language_hint="en")
    await fill_tour(booker, TOUR, "Anna Kowalska", guests=2)
    asker = Chat(answering_app.dispatcher, user_id=f"asker-{language}", language_hint="en")
    await asker.send(question)
    assert t(answering_app, language, "💺 Seats left: {left} of {n}", left=capacity - 3, n=capacity) in asker.text


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("en", "what is my place on the waiting list?"),
        ("ru", "Какой у меня номер в листе ожидания?"),
        ("ja", "キャンセル待ちで私は何番目ですか？"),
    ],
)
async def test_asking_about_the_waiting_list_gives_ones_own_place(
    answering_app: App, language: str, question: str
) -> None:
    await set_capacity(answering_app, TOUR, 1)
    await fill_tour(
        Chat(answering_app.dispatcher, user_id=f"first-{language}", language_hint="en"), TOUR, "Aiko Tanaka"
    )
    await fill_tour(
        Chat(answering_app.dispatcher, user_id=f"second-{language}", language_hint="en"), TOUR, "Kenji Sato"
    )
    waiting = Chat(answering_app.dispatcher, user_id=f"waiting-{language}", language_hint="en")
    await fill_tour(waiting, TOUR, "Yuki Ito")
    await waiting.send(question)
    title = answering_app.content.tours.get(TOUR).title(language)
    place = t(answering_app, language, "📝 {title}: you are number {position} on the waiting list.")
    assert place.format(title=title, position=2) in waiting.text
    assert answering_app.content.faq.get("waitlist").answer(language) in waiting.text
