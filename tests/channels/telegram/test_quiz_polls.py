"""The quiz on Telegram: questions go out as native quiz polls valid per the Bot API specification, and the
poll answers Telegram sends back are scored (a late one is not counted)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.client import connect, make_bot
from bot.core.clock import FakeClock
from bot.db.models import QuizAnswer
from bot.runtime import DatabasePollBook
from tests.chat import Chat
from tests.fake_bot_api import updates
from tests.fake_bot_api.server import FakeBotApi

CONTEST = "thang-long-2027"
USER = 4242


@pytest.fixture
async def quiz_channel(app: App, fake: FakeBotApi, api_url: str) -> AsyncIterator[TelegramChannel]:
    """A polling Telegram channel that sends native polls, as ``haufo-bot run`` builds it."""
    bot = make_bot(fake.token, api_url)
    await connect(bot, api_url)
    channel = TelegramChannel(bot, app.dispatcher, polls=DatabasePollBook(app))
    task = asyncio.create_task(channel.start())
    yield channel
    await channel.stop()
    await asyncio.wait_for(task, timeout=10)
    await bot.shutdown()


def polls(fake: FakeBotApi) -> list[dict[str, Any]]:
    return [message for message in fake.messages_in(USER) if "poll" in message]


async def press(fake: FakeBotApi, data: str) -> None:
    answered = len(fake.calls_of("answerCallbackQuery"))
    fake.enqueue(updates.callback(USER, data, message=fake.messages_in(USER)[-1]))
    await fake.wait_for(lambda: len(fake.calls_of("answerCallbackQuery")) > answered)


async def answer_poll(fake: FakeBotApi, option: int) -> str:
    """Answer the latest poll with ``option``; the text the bot replies with."""
    sent = len(fake.calls_of("sendMessage"))
    fake.enqueue(updates.poll_answer(USER, polls(fake)[-1]["poll"]["id"], [option]))
    calls = await fake.wait_for(lambda: fake.calls_of("sendMessage")[sent:])
    return str(calls[0].params["text"])


async def test_questions_are_native_quiz_polls_and_their_answers_are_scored(
    app: App, clock: FakeClock, fake: FakeBotApi, quiz_channel: TelegramChannel
) -> None:
    admin = Chat(app.dispatcher, user_id="admin")
    await admin.press_payload(f"sqzset:{CONTEST}:open")
    contest = app.content.quiz.contests[CONTEST]
    fake.enqueue(updates.command(USER, "/quiz"))
    await fake.wait_for(lambda: fake.messages_in(USER))
    await press(fake, f"qzgo:{CONTEST}")
    await press(fake, f"qzname:{CONTEST}:no:play")
    await fake.wait_for(lambda: polls(fake))
    call = fake.calls_of("sendPoll")[-1].params
    assert call["type"] == "quiz" and call["is_anonymous"] is False
    assert call["open_period"] == contest.seconds
    question = next(q for q in contest.questions.values() if q.text("en") == call["question"])
    options = [option["text"] for option in call["options"]]
    right = [options.index(question.options[key]("en")) for key in question.correct_keys]
    assert call["correct_option_ids"] == right
    assert call["explanation"] == question.explanation("en")

    clock.advance(dt.timedelta(seconds=6))
    assert (await answer_poll(fake, right[0])).startswith("✅")
    await press(fake, fake.messages_in(USER)[-1]["reply_markup"]["inline_keyboard"][-1][0]["callback_data"])
    await fake.wait_for(lambda: len(polls(fake)) == 2)
    second = fake.calls_of("sendPoll")[-1].params
    wrong = next(i for i in range(len(second["options"])) if i not in second["correct_option_ids"])
    clock.advance(dt.timedelta(seconds=3))
    assert (await answer_poll(fake, wrong)).startswith("❌")
    await press(fake, fake.messages_in(USER)[-1]["reply_markup"]["inline_keyboard"][-1][0]["callback_data"])
    await fake.wait_for(lambda: len(polls(fake)) == 3)
    third = fake.calls_of("sendPoll")[-1].params
    clock.advance(dt.timedelta(seconds=contest.seconds + 10))
    assert "does not count" in await answer_poll(fake, third["correct_option_ids"][0])

    async with app.sessions() as session:
        outcomes = (await session.scalars(select(QuizAnswer.outcome).order_by(QuizAnswer.position))).all()
    assert list(outcomes[:3]) == ["right", "wrong", "late"]
    assert fake.violations == []


async def test_an_answer_to_an_unknown_poll_is_ignored(
    app: App, fake: FakeBotApi, quiz_channel: TelegramChannel
) -> None:
    fake.enqueue(updates.poll_answer(USER, "5999", [0]))
    fake.enqueue(updates.poll_answer(USER, "5998", []))  # a retracted vote
    await fake.wait_for(lambda: not fake.pending())
    await asyncio.sleep(0.2)
    assert fake.messages_in(USER) == []
    assert fake.violations == []
