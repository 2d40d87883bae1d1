"""Free-text questions in seven languages: the answer card in the question's language; hand-off to staff."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import AsyncIterator
from typing import cast

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.messages import Reply
from bot.db.models import Question
from bot.scheduling.delivery import Delivery
from bot.services.answers import Answer, Answerer
from bot.services.digest import digest_params
from handlers.answers import item_of
from handlers.notices import NOTICES
from tests.chat import Chat, CollectingChannel
from tests.conftest import postgresql_only, running_app

QUESTIONS = [
    ("en", "When does the bus to Co Loa leave, and from where?", {"spring-2027-co-loa", "tour-meeting-point"}),
    ("vi", "Học phí khóa tiếng Việt sơ cấp là bao nhiêu?", {"vietnamese-beginner", "class-fee"}),
    ("fr", "Quand a lieu la fête du nouvel an des pays asiatiques ?", {"asian-new-year-festival"}),
    ("ru", "Как добраться до керамической деревни Батчанг?", {"bat-trang"}),
    ("zh", "升龙皇城几点开门？", {"thang-long-citadel"}),
    ("ja", "ツアーには何を持っていけばいいですか？", {"tour-what-to-bring"}),
    ("ko", "대기자 명단은 어떻게 운영되나요?", {"waitlist"}),
]


@pytest.mark.parametrize(("language", "question", "accepted"), QUESTIONS)
async def test_a_question_gets_its_card_in_its_language(
    answering_app: App, full_answerer: Answerer, language: str, question: str, accepted: set[str]
) -> None:
    answer = full_answerer.answer(question)
    assert answer.lang == language
    assert answer.id in accepted
    assert answer.kind is not None
    chat = Chat(answering_app.dispatcher, user_id=f"asker-{language}")
    replies = await chat.send(question)
    item = item_of(answering_app.content, answer.kind, answer.id)
    texts = [
        text for _, text in item.__dict__[next(iter(["question", "title", "name"] & item.__dict__.keys()))].items()
    ]
    own = dict(zip(["vi", "en", "fr", "ru", "zh", "ja", "ko"], texts, strict=True))[language]
    assert own in replies[0].text


async def test_out_of_scope_hand_off_and_staff_reply(app: App, clock: FakeClock) -> None:
    asker = Chat(app.dispatcher, user_id="asker", language_hint="fr")
    await asker.send("Pouvez-vous me recommander un bon dentiste ?")
    assert asker.last[0].all_buttons()[0].label == app.catalogs.locale("fr").gettext("🙋 Ask our staff")
    french = app.catalogs.locale("fr")
    await asker.press(french.gettext("🙋 Ask our staff"))
    assert asker.text == french.gettext("Thank you! I passed your question to our staff; their answer will come here.")

    staff = Chat(app.dispatcher, user_id="admin")
    await staff.send("/questions")
    assert "dentiste" in staff.text
    await staff.press("Reply")
    await staff.send("L'hôpital français de Hanoï a un cabinet dentaire.")
    assert "Sent." in staff.text
    await staff.press("FAQ candidate")
    assert app.services.faq_candidates.read_text(encoding="utf-8").count("dentiste") == 1

    channel = CollectingChannel()
    delivery = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES,
                        {"test": channel}, clock)  # fmt: skip
    assert await delivery.send_due() == 1
    [(chat_id, [reply])] = channel.sent
    assert chat_id == "asker"
    assert "dentiste" in reply.text
    assert "cabinet dentaire" in reply.text
    assert reply.text.startswith("💬 ")
    async with app.sessions() as session:
        question = (await session.scalars(select(Question))).one()
    assert (question.status, question.faq_candidate) == ("answered", True)


class UnsureAnswerer:
    """An engine that finds the tour FAQ but is not sure of it."""

    def answer(self, question: str, lang_hint: str | None = None) -> Answer:
        return Answer("register-tour", "faq", 0.55, "en")


async def test_an_unsure_answer_is_given_and_counted_as_low_confidence_in_the_digest(
    settings: Settings, clock: FakeClock, detector: LanguageDetector
) -> None:
    app = await build_app(settings, clock=clock, detector=detector, answerer=cast(Answerer, UnsureAnswerer()))
    try:
        asker = Chat(app.dispatcher, user_id="asker", language_hint="en")
        await asker.send("how do I get onto one of those spring trips")
        assert app.content.faq.get("register-tour").answer("en") in asker.text, "the answer is still given"
        async with app.sessions() as session:
            figures = await digest_params(session, clock.now() - dt.timedelta(days=1))
            [logged] = (await session.scalars(select(Question))).all()
        assert figures["low"] == 1
        assert figures["unanswered"] == 0
        assert (logged.status, logged.best_id, logged.score) == ("low", "register-tour", 0.55)
    finally:
        await app.close()


class HeldAnswerer:
    """An engine that thinks until the test lets it go: as a slow question on a loaded machine."""

    def __init__(self) -> None:
        self.thinking = threading.Event()
        self.release = threading.Event()
        self.app: App

    def answer(self, question: str, lang_hint: str | None = None) -> Answer:
        self.thinking.set()
        if not self.release.wait(timeout=10):
            raise AssertionError("never released: the other user's reply did not come while this one thought")
        return Answer("contact", "faq", 0.9, "en")


@pytest.fixture
async def held(settings: Settings, clock: FakeClock, detector: LanguageDetector) -> AsyncIterator[HeldAnswerer]:
    """An app whose engine holds each question until released; ``held.app`` is the app."""
    engine = HeldAnswerer()
    async with running_app(settings, clock, detector, cast(Answerer, engine)) as app:
        engine.app = app
        try:
            yield engine
        finally:
            engine.release.set()


async def _ask_and_hold(engine: HeldAnswerer) -> tuple[Chat, asyncio.Task[list[Reply]]]:
    """A user asks; returns once the engine is thinking about it."""
    asker = Chat(engine.app.dispatcher, user_id="slow-asker", language_hint="en")
    asking = asyncio.create_task(asker.send("where is your office"))
    assert await asyncio.to_thread(engine.thinking.wait, 10)
    return asker, asking


async def _release(engine: HeldAnswerer, asker: Chat, asking: asyncio.Task[list[Reply]]) -> None:
    engine.release.set()
    await asking
    assert engine.app.content.faq.get("contact").answer("en") in asker.text


async def test_the_event_loop_runs_on_while_a_question_is_answered(held: HeldAnswerer) -> None:
    asker, asking = await _ask_and_hold(held)
    ticks = 0
    for _ in range(5):
        await asyncio.sleep(0)
        ticks += 1
    assert ticks == 5 and not asking.done(), "other coroutines ran while the answer was being thought about"
    await _release(held, asker, asking)


@postgresql_only  # SQLite has one writer: a message's writes wait for the one before, whatever the engine does
async def test_a_slow_answer_does_not_keep_another_user_waiting(held: HeldAnswerer) -> None:
    asker, asking = await _ask_and_hold(held)
    other = Chat(held.app.dispatcher, user_id="other-user", language_hint="en")
    await other.send("/start")
    assert other.last, "the other user was answered while the question was still being thought about"
    assert not asking.done()
    await _release(held, asker, asking)
