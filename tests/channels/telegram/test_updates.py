"""Telegram updates, as Telegram sends them, become the right ``Incoming`` (or none)."""

from __future__ import annotations

import pytest
from telegram import Bot, Update

from bot.channels.telegram.updates import to_incoming, user_key
from bot.core.messages import Incoming
from tests.fake_bot_api import updates

BOT = Bot("7000000001:AAHfakeTokenForHaufoBotTests_0123456")
BOT_ID, BOT_NAME = 7000000001, "haufo_test_bot"


def incoming(raw: dict[str, object]) -> Incoming | None:
    return to_incoming(Update.de_json(raw, BOT), BOT_NAME, BOT_ID)


def test_private_text_carries_the_language_hint_and_name() -> None:
    message = incoming(updates.text_message(42, "Xin chào", language_code="vi"))
    assert message is not None
    assert (message.channel, message.user_id, message.text, message.language_hint) == (
        "telegram",
        "42",
        "Xin chào",
        "vi",
    )
    assert message.private


def test_commands_lose_the_bot_suffix_and_keep_arguments() -> None:
    message = incoming(updates.command(42, "/start@haufo_test_bot tour-spring-2027-co-loa"))
    assert message is not None
    assert message.command == "start"
    assert message.args == ("tour-spring-2027-co-loa",)
    deep = incoming(updates.fixture("command_start_deep_link"))
    assert deep is not None
    assert deep.command == "start"
    assert deep.args


def test_a_forwarded_message_names_its_author_when_telegram_reveals_them() -> None:
    forwarded = incoming(updates.fixture("forwarded_message"))
    assert forwarded is not None
    assert (forwarded.user_id, forwarded.forwarded_from) == ("584736291", "1029384756")
    plain = incoming(updates.fixture("private_text"))
    assert plain is not None
    assert plain.forwarded_from is None


def test_button_press_becomes_a_payload() -> None:
    message = incoming(updates.callback(42, "tour:spring-2027-co-loa", language_code="fr"))
    assert message is not None
    assert message.payload == "tour:spring-2027-co-loa"
    assert message.language_hint == "fr"


@pytest.mark.parametrize(("status", "event"), [("kicked", "blocked"), ("member", "unblocked")])
def test_member_changes_become_events(status: str, event: str) -> None:
    message = incoming(updates.chat_member(42, status=status))
    assert message is not None
    assert message.event == event


def test_location_contact_and_media() -> None:
    location = incoming(updates.fixture("location"))
    assert location is not None
    assert location.event == "location"
    assert location.location is not None
    photo = incoming(updates.fixture("photo_caption"))
    assert photo is not None
    assert photo.text  # the caption
    for name in ["contact", "sticker", "voice", "document"]:
        media = incoming(updates.fixture(name))
        assert media is not None
        assert media.text is None
        assert media.event is None


def test_edited_message_is_answered_like_a_new_one() -> None:
    message = incoming(updates.edited_message(42, "when is the co loa tour?", message_id=10))
    assert message is not None
    assert message.text == "when is the co loa tour?"


def test_groups_only_commands_and_mentions() -> None:
    assert incoming(updates.fixture("group_plain")) is None
    for name in ["group_command", "group_mention"]:
        message = incoming(updates.fixture(name))
        assert message is not None, name
        assert not message.private
        assert message.bot_link == "https://t.me/haufo_test_bot"
    other_bot = incoming(updates.group_message(42, "/help@some_other_bot"))
    assert other_bot is None


def test_user_key_orders_even_unparseable_updates() -> None:
    assert user_key(updates.text_message(42, "hi")) == "42"
    assert user_key(updates.callback(43, "home")) == "43"
    assert user_key(updates.fixture("unparseable")) != ""
