"""Incoming updates for tests: fresh copies of the real-shaped fixtures with users, chats and texts replaced."""

from __future__ import annotations

import copy
import itertools
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from tests.fake_bot_api.entities import utf16_len

FIXTURES = Path(__file__).parents[1] / "fixtures" / "telegram"
GROUP_CHAT_ID = -1001876543210
CHAT_TYPES = frozenset({"private", "group", "supergroup", "channel"})
COMMAND_RE = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@])")
MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z][A-Za-z0-9_]{4,31}(?![\w@])")
_message_ids = itertools.count(5001)

Update = dict[str, Any]


@cache
def _load(name: str) -> Update:
    """A fixture as stored (never handed out: callers get copies)."""
    result: Update = json.loads((FIXTURES / f"{name.removesuffix('.json')}.json").read_text(encoding="utf-8"))
    return result


def fixture(name: str) -> Update:
    """A fresh copy of tests/fixtures/telegram/<name>.json (the suffix is optional)."""
    return copy.deepcopy(_load(name))


def fixture_names() -> list[str]:
    """The names of all fixtures."""
    return sorted(path.stem for path in FIXTURES.glob("*.json"))


def entities_for(text: str) -> list[dict[str, Any]]:
    """The bot_command and mention entities a Telegram client attaches to `text` (UTF-16 offsets)."""
    found = [("bot_command", m) for m in COMMAND_RE.finditer(text)]
    found += [("mention", m) for m in MENTION_RE.finditer(text)]
    return [
        {"offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group()), "type": kind}
        for kind, m in sorted(found, key=lambda item: item[1].start())
    ]


def _payload(update: Update) -> dict[str, Any]:
    """The object inside an update (the message, callback query, chat member change...)."""
    return next(value for key, value in update.items() if key != "update_id")


def _sender(update: Update) -> dict[str, Any]:
    """The user who caused the update (``user`` in a poll answer)."""
    payload = _payload(update)
    return payload["from"] if "from" in payload else payload["user"]  # type: ignore[no-any-return]


def _replace(value: object, old_user: int, new_user: int, old_chat: int, new_chat: int, language: str | None) -> None:
    """Rewrite, in place, the user's id and language and the chat's id wherever they appear."""
    if isinstance(value, list):
        for item in value:
            _replace(item, old_user, new_user, old_chat, new_chat, language)
    if not isinstance(value, dict):
        return
    if value.get("is_bot") is False and value.get("id") == old_user:
        value["id"] = new_user
        if language is not None:
            value["language_code"] = language
    elif value.get("type") in CHAT_TYPES and value.get("id") == old_chat:
        value["id"] = new_chat
    if value.get("user_id") == old_user:
        value["user_id"] = new_user
    for item in value.values():
        _replace(item, old_user, new_user, old_chat, new_chat, language)


def personalize(
    update: Update,
    user_id: int | None = None,
    *,
    chat_id: int | None = None,
    language_code: str | None = None,
    message_id: int | None = None,
) -> Update:
    """Return a copy sent by `user_id` (in their private chat unless `chat_id`), with its language and id."""
    result = copy.deepcopy(update)
    payload = _payload(result)
    old_user = _sender(result)["id"]
    message = payload["message"] if isinstance(payload.get("message"), dict) else payload  # a callback's message
    old_chat = message.get("chat", {}).get("id", old_user)
    new_user = old_user if user_id is None else user_id
    new_chat = chat_id if chat_id is not None else (new_user if old_chat == old_user else old_chat)
    _replace(result, old_user, new_user, old_chat, new_chat, language_code)
    if message_id is not None and "message_id" in message:
        message["message_id"] = message_id
    return result


def with_text(update: Update, text: str) -> Update:
    """Return a copy whose message text is `text`, with its command and mention entities recomputed."""
    result = copy.deepcopy(update)
    message = _payload(result)
    message["text"] = text
    message.pop("entities", None)
    if entities := entities_for(text):
        message["entities"] = entities
    return result


def text_message(
    user_id: int, text: str, language_code: str = "en", *, chat_id: int | None = None, message_id: int | None = None
) -> Update:
    """A private (or, with `chat_id`, group) text message."""
    base = fixture("private_text" if chat_id is None or chat_id > 0 else "group_plain")
    mid = next(_message_ids) if message_id is None else message_id
    return with_text(personalize(base, user_id, chat_id=chat_id, language_code=language_code, message_id=mid), text)


def command(
    user_id: int,
    text: str = "/start",
    language_code: str = "en",
    *,
    chat_id: int | None = None,
    message_id: int | None = None,
) -> Update:
    """A command message such as "/start", "/start tour-spring-2027-co-loa" or "/help@haufo_test_bot"."""
    base = fixture("command_start" if chat_id is None or chat_id > 0 else "group_command")
    mid = next(_message_ids) if message_id is None else message_id
    return with_text(personalize(base, user_id, chat_id=chat_id, language_code=language_code, message_id=mid), text)


def group_message(
    user_id: int, text: str, language_code: str = "en", *, chat_id: int = GROUP_CHAT_ID, message_id: int | None = None
) -> Update:
    """A supergroup message (mentions and commands in `text` get their entities)."""
    return text_message(user_id, text, language_code, chat_id=chat_id, message_id=message_id)


def edited_message(user_id: int, text: str, message_id: int, language_code: str = "en") -> Update:
    """An edit of one of the user's earlier private messages."""
    base = personalize(fixture("edited_message"), user_id, language_code=language_code, message_id=message_id)
    return with_text(base, text)


def callback(
    user_id: int,
    data: str,
    message_id: int | None = None,
    language_code: str = "en",
    *,
    message: dict[str, Any] | None = None,
) -> Update:
    """A button press: `message` (for example one from fake.messages_in) or the fixture's bot message."""
    result = personalize(fixture("callback_query"), user_id, language_code=language_code)
    query = result["callback_query"]
    if message is not None:
        query["message"] = copy.deepcopy(message)
    if message_id is not None:
        query["message"]["message_id"] = message_id
    query["data"] = data
    query["id"] = str(int(query["id"]) + next(_message_ids))
    return result


def chat_member(user_id: int, status: str = "kicked", language_code: str = "en") -> Update:
    """The user blocked ("kicked") or unblocked ("member") the bot in their private chat."""
    name = "my_chat_member_kicked" if status == "kicked" else "my_chat_member_member"
    return personalize(fixture(name), user_id, language_code=language_code)


def from_user(name: str, user_id: int, language_code: str = "en", *, chat_id: int | None = None) -> Update:
    """Any fixture (location, contact, photo_caption, document, sticker, voice...) sent by another user."""
    return personalize(
        fixture(name), user_id, chat_id=chat_id, language_code=language_code, message_id=next(_message_ids)
    )


def poll_answer(user_id: int, poll_id: str, option_ids: list[int], language_code: str = "en") -> Update:
    """A user's answer to a non-anonymous poll the bot sent (empty `option_ids`: the vote was retracted)."""
    result = personalize(fixture("poll_answer"), user_id, language_code=language_code)
    answer = result["poll_answer"]
    answer["poll_id"], answer["option_ids"] = poll_id, list(option_ids)
    answer["option_persistent_ids"] = [str(option) for option in option_ids]
    result["update_id"] = int(result["update_id"]) + next(_message_ids)
    return result
