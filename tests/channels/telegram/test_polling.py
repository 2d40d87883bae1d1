"""The Telegram channel against the fake Bot API: every language, every button, zero spec violations."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.core.languages import LANGUAGES
from tests.chat import navigates
from tests.fake_bot_api import updates
from tests.fake_bot_api.server import FakeBotApi

HINTS = {"vi": "vi", "en": "en", "fr": "fr", "ru": "ru", "zh": "zh-hans", "ja": "ja", "ko": "ko"}


def _t(app: App, language: str, message: str) -> str:
    return app.catalogs.locale(language).gettext(message)  # type: ignore[arg-type]


def keyboard_of(call_params: dict[str, Any]) -> list[dict[str, Any]]:
    markup = call_params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_start_is_answered_in_the_users_language_with_an_inline_menu(
    app: App, fake: FakeBotApi, polling: TelegramChannel, language: str
) -> None:
    user = 1000 + LANGUAGES.index(language)
    fake.enqueue(updates.command(user, "/start", language_code=HINTS[language]))
    sent = await fake.wait_for(lambda: [c for c in fake.calls_of("sendMessage") if c.params["chat_id"] == user])
    menu = sent[0].params
    assert menu["parse_mode"] == "HTML"
    labels = [button["text"] for button in keyboard_of(menu)]
    assert labels[0] == _t(app, language, "🎉 Events")
    assert all("callback_data" in button for button in keyboard_of(menu))
    assert fake.violations == []


async def test_every_button_of_the_menu_tree_works_through_telegram(
    app: App, fake: FakeBotApi, polling: TelegramChannel
) -> None:
    user = 77
    fake.enqueue(updates.command(user, "/start", language_code="ko"))
    await fake.wait_for(lambda: fake.messages_in(user))
    stale = _t(app, "ko", "That button is out of date. Here is the main menu:")
    pressed: set[str] = set()
    while True:
        todo = [
            (message, button["callback_data"])
            for message in fake.messages_in(user)
            for button in keyboard_of(message)
            if "callback_data" in button and button["callback_data"] not in pressed
            and navigates(button["callback_data"])
        ]  # fmt: skip
        if not todo:
            break
        message, data = todo[0]
        pressed.add(data)
        answered = len(fake.calls_of("answerCallbackQuery"))
        fake.enqueue(updates.callback(user, data, message=message, language_code="ko"))
        await fake.wait_for(lambda answered=answered: len(fake.calls_of("answerCallbackQuery")) > answered)
        await fake.wait_for(lambda: not fake.pending())
    content = app.content
    assert len(pressed) >= len(content.events) + len(content.courses) + len(content.tours) + len(content.sites)
    texts = [c.params.get("text", "") for c in fake.calls if c.method in ("sendMessage", "editMessageText")]
    assert not [text for text in texts if stale in text]
    assert fake.violations == []
    assert fake.calls_of("sendVenue"), "cards send their venue"
    assert fake.calls_of("editMessageText"), "paging edits the list in place"


async def test_a_429_is_waited_out_and_the_reply_still_arrives(fake: FakeBotApi, polling: TelegramChannel) -> None:
    fake.fail("sendMessage", status=429, retry_after=1, times=2)
    fake.enqueue(updates.command(5, "/help"))
    await fake.wait_for(lambda: fake.messages_in(5), timeout=15)
    attempts = fake.calls_of("sendMessage")
    assert len(attempts) >= 3
    assert attempts[-1].at - attempts[0].at >= 1.9


async def test_server_errors_are_retried(fake: FakeBotApi, polling: TelegramChannel) -> None:
    fake.fail("sendMessage", status=502, times=2)
    fake.enqueue(updates.command(6, "/help"))
    await fake.wait_for(lambda: fake.messages_in(6), timeout=15)


async def test_an_unparseable_update_is_skipped_and_confirmed(fake: FakeBotApi, polling: TelegramChannel) -> None:
    fake.enqueue(updates.fixture("unparseable"))
    fake.enqueue(updates.command(9, "/start"))
    await fake.wait_for(lambda: fake.messages_in(9))
    await fake.wait_for(lambda: not fake.pending(), message="the skipped update is confirmed, not fetched forever")


async def test_a_blocked_user_does_not_stop_the_others(fake: FakeBotApi, polling: TelegramChannel) -> None:
    fake.block(11)
    fake.enqueue(updates.command(11, "/start"))
    fake.enqueue(updates.command(12, "/start"))
    await fake.wait_for(lambda: fake.messages_in(12))


async def test_commands_menu_in_every_language(app: App, fake: FakeBotApi, channel: TelegramChannel) -> None:
    from handlers.menu import COMMANDS

    await channel.set_commands(COMMANDS, app.catalogs)
    assert [c["command"] for c in fake.commands()] == [name for name, _ in COMMANDS]
    for language in LANGUAGES:
        listed = fake.commands(language_code=language)
        assert listed[0]["description"] == _t(app, language, "Main menu")
    assert fake.violations == []


async def test_messages_from_one_user_are_answered_in_order(fake: FakeBotApi, polling: TelegramChannel) -> None:
    for text in ["/start", "/help", "/language", "/help"]:
        fake.enqueue(updates.command(21, text))
    await fake.wait_for(lambda: len(fake.messages_in(21)) >= 5)
    sent = [m.get("text", "") for m in fake.messages_in(21)]
    assert sent[0].startswith("Hello!")
    assert sent[2].startswith("Here is what I can help with:")
    assert sent[3].startswith("Choose your language")
    assert sent[4].startswith("Here is what I can help with:")
