"""The quiz in chat: a whole round in three languages, late answers, one counted result, the leaderboard with
and without consent, and what staff do with a contest (open, close, results, the winners' announcement)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.app import App
from bot.core.clock import FakeClock
from bot.core.i18n import Catalogs
from bot.core.messages import Reply
from bot.db.models import QuizAnswer
from tests.chat import Chat

CONTEST = "thang-long-2027"


def t(catalogs: Catalogs, language: str, message: str) -> str:
    return catalogs.locale(language).gettext(message)  # type: ignore[arg-type]


def question_of(chat: Chat) -> Reply:
    """The quiz question among the latest replies."""
    asked = [reply for reply in chat.last if reply.poll is not None]
    assert len(asked) == 1, chat.text
    return asked[0]


async def answer(chat: Chat, *, right: bool) -> Reply:
    """Press the right option of the question shown (or the first wrong one)."""
    question = question_of(chat)
    assert question.poll is not None
    options = question.all_buttons()
    wanted = next(i for i in range(len(options)) if (i in question.poll.correct) == right)
    await chat.press_payload(options[wanted].payload or "")
    return question


async def open_contest(app: App) -> None:
    """An administrator opens the contest (its dates are in 2027; the tests' clock is in 2026)."""
    admin = Chat(app.dispatcher, user_id="admin")
    await admin.press_payload("sqz")
    await admin.press_payload(f"sqzc:{CONTEST}")
    await admin.press("Open now")
    assert "🟢" in admin.text


async def play_round(chat: Chat, clock: FakeClock, *, right: list[bool], show_name: str = "yes") -> list[Reply]:
    """Start the quiz, agree or not to show the name, and answer every question, five seconds each."""
    await chat.send("/quiz")
    await chat.press_payload(f"qzgo:{CONTEST}")
    if not any(reply.poll for reply in chat.last):
        await chat.press_payload(f"qzname:{CONTEST}:{show_name}:play")
    asked = []
    for index, correct in enumerate(right):
        clock.advance(dt.timedelta(seconds=5))
        asked.append(await answer(chat, right=correct))
        await chat.press_payload(chat.buttons()[-1].payload or "")  # next question, or the score after the last
        if index < len(right) - 1:
            question_of(chat)
    return asked


@pytest.mark.parametrize("language", ["fr", "ru", "ja"])
async def test_a_whole_round_in_the_players_language(
    app: App, clock: FakeClock, catalogs: Catalogs, language: str
) -> None:
    await open_contest(app)
    contest = app.content.quiz.contests[CONTEST]
    player = Chat(app.dispatcher, user_id=f"player-{language}", language_hint=language, display_name="Ana Lima")
    await player.send("/quiz")
    assert contest.title(language) in player.text and contest.theme(language) in player.text
    await player.press(t(catalogs, language, "▶ Start the quiz"))
    assert "Ana Lima" in player.text
    await player.press(t(catalogs, language, "✅ Yes, show my name"))
    seen: list[str] = []
    for number in range(1, contest.round + 1):
        question = question_of(player)
        assert question.poll is not None
        assert question.poll.header in question.text and question.poll.question in question.text
        seen.append(question.poll.question)
        asked = next(q for q in contest.questions.values() if q.text(language) == question.poll.question)
        labels = [button.label for button in question.all_buttons()]
        assert sorted(labels) == sorted(option(language) for option in asked.options.values())
        clock.advance(dt.timedelta(seconds=4))
        await answer(player, right=number % 2 == 1)
        said = t(catalogs, language, "✅ Right!") if number % 2 else "❌"
        assert player.text.startswith(said) and asked.explanation(language) in player.text
        assert t(catalogs, language, "🏛 See this place") in [b.label for b in player.buttons()]
        await player.press_payload(player.buttons()[-1].payload or "")
    assert len(set(seen)) == contest.round, "no question twice in a round"
    result = player.text
    assert "5" in result and str(contest.round) in result
    assert "🌸" in result, "the invitation to a tour"
    tours = [b for b in player.buttons() if (b.payload or "").startswith("tour:")]
    assert len(tours) == 1
    await player.press(t(catalogs, language, "🏆 Leaderboard"))
    assert "1. Ana Lima" in player.text


async def test_a_late_answer_is_not_counted(app: App, clock: FakeClock) -> None:
    await open_contest(app)
    player = Chat(app.dispatcher, user_id="slow", language_hint="en")
    await player.send("/quiz")
    await player.press("Start the quiz")
    await player.press("No, a number is enough")
    clock.advance(dt.timedelta(seconds=45))
    await answer(player, right=True)
    assert "after the time was up" in player.text and "does not count" in player.text
    again = await player.press_payload(question_of_payload := player.buttons()[-1].payload or "")
    assert question_of_payload.startswith("qznext:") and again
    async with app.sessions() as session:
        first = await session.scalar(select(QuizAnswer).where(QuizAnswer.position == 1))
    assert first is not None and first.outcome == "late"
