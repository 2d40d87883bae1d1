"""Telegram updates as ``Incoming``: messages, button presses, and the user blocking or unblocking the bot."""

from __future__ import annotations

from typing import Any, Final

from telegram import Chat, ChatMember, Message, MessageEntity, MessageOriginUser, Update
from telegram import User as TelegramUser

from bot.core.messages import NAME_LIMIT, Incoming, cut

CHANNEL: Final = "telegram"
ALLOWED_UPDATES: Final = ("message", "edited_message", "callback_query", "my_chat_member", "poll_answer")
TEXT_LIMIT: Final = 4096
"""The longest text Telegram delivers; a longer one (a forged webhook body) is cut before anything reads it."""
PAYLOAD_LIMIT: Final = 64
"""Telegram's longest callback data, in bytes (so at most as many characters)."""


def user_key(raw: dict[str, Any]) -> str:
    """Whose update this is, read from the raw JSON (so even an unparseable update can be ordered)."""
    for kind, body in raw.items():
        if kind != "update_id" and isinstance(body, dict):
            sender = body.get("from") or body.get("user") or body.get("chat") or {}
            if isinstance(sender, dict) and "id" in sender:
                return str(sender["id"])
    return f"update-{raw.get('update_id')}"


def _common(user: TelegramUser, chat: Chat, bot_username: str) -> dict[str, Any]:
    return {
        "bot_link": f"https://t.me/{bot_username}",
        "channel": CHANNEL,
        "user_id": str(user.id),
        "chat_id": str(chat.id),
        "language_hint": user.language_code,
        "display_name": cut(user.full_name, NAME_LIMIT),
    }


def _addressed_to_bot(message: Message, bot_username: str, bot_id: int) -> bool:
    """In a group: a command (to us or to every bot), a mention of us, or a reply to one of our messages."""
    mention = f"@{bot_username}".lower()
    text_entities = message.parse_entities() if message.text else message.parse_caption_entities()
    for entity, value in text_entities.items():
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            _command, _at, target = value.partition("@")
            if not target or target.lower() == bot_username.lower():
                return True
        if entity.type == MessageEntity.MENTION and value.lower() == mention:
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot_id:
            return True
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


def _from_message(update: Update, message: Message, bot_username: str, bot_id: int) -> Incoming | None:
    user, chat = message.from_user, message.chat
    if user is None or user.is_bot:
        return None
    common = _common(user, chat, bot_username)
    if chat.type != Chat.PRIVATE:
        if not _addressed_to_bot(message, bot_username, bot_id):
            return None
        return Incoming(**common, text=cut(message.text or message.caption, TEXT_LIMIT), private=False, raw=update)
    if message.location is not None:
        location = (message.location.latitude, message.location.longitude)
        return Incoming(**common, event="location", location=location, raw=update)
    text = cut(message.text or message.caption, TEXT_LIMIT)
    if text is not None and text.startswith("/"):
        command, _sep, rest = text.partition(" ")
        text = command.split("@", 1)[0] + (f" {rest}" if rest else "")
    origin = message.forward_origin
    forwarded = str(origin.sender_user.id) if isinstance(origin, MessageOriginUser) else None
    return Incoming(**common, text=text, forwarded_from=forwarded, raw=update)


def _from_member_change(update: Update, bot_username: str) -> Incoming | None:
    change = update.my_chat_member
    if change is None or change.chat.type != Chat.PRIVATE:
        return None
    status = change.new_chat_member.status
    event = "blocked" if status == ChatMember.BANNED else "unblocked" if status == ChatMember.MEMBER else None
    if event is None:
        return None
    return Incoming(**_common(change.from_user, change.chat, bot_username), event=event, raw=update)


def to_incoming(update: Update, bot_username: str, bot_id: int) -> Incoming | None:
    """The ``Incoming`` for ``update``, or None when the bot should stay silent (group chatter, other bots)."""
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        chat_id = str(message.chat.id) if message is not None else str(query.from_user.id)
        private = message is None or message.chat.type == Chat.PRIVATE
        return Incoming(
            channel=CHANNEL, user_id=str(query.from_user.id), chat_id=chat_id,
            payload=cut(query.data, PAYLOAD_LIMIT) or "", language_hint=query.from_user.language_code,
            display_name=cut(query.from_user.full_name, NAME_LIMIT), private=private,
            bot_link=f"https://t.me/{bot_username}", raw=update,
        )  # fmt: skip
    message = update.message or update.edited_message
    if message is not None:
        return _from_message(update, message, bot_username, bot_id)
    return _from_member_change(update, bot_username)


def poll_choice(update: Update) -> tuple[str, int, TelegramUser] | None:
    """The poll, the option chosen and who chose it, for an answer to a non-anonymous poll; None for
    anything else (a retracted vote has no option)."""
    answer = update.poll_answer
    if answer is None or answer.user is None or not answer.option_ids:
        return None
    return answer.poll_id, answer.option_ids[0], answer.user


def from_poll_answer(update: Update, user: TelegramUser, payload: str, bot_username: str) -> Incoming:
    """A poll answer as the press of the button its option stands for."""
    return Incoming(
        channel=CHANNEL, user_id=str(user.id), chat_id=str(user.id), payload=cut(payload, PAYLOAD_LIMIT) or "",
        language_hint=user.language_code, display_name=cut(user.full_name, NAME_LIMIT),
        bot_link=f"https://t.me/{bot_username}", raw=update,
    )  # fmt: skip
