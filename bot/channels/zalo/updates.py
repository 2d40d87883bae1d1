"""Zalo updates as ``Incoming``: ``{event_name, message}``, flat from the webhook or polling, or wrapped in
``{ok, result}`` as the documentation shows (whose sample also leaves ``event_name`` out and names the
sender ``first_name``: both are accepted). There is no language hint; a photo's caption is its text;
stickers, voice and unsupported messages become events the fallback answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from bot.core.messages import NAME_LIMIT, Incoming, cut

TEXT: Final = "message.text.received"
TEXT_LIMIT: Final = 2000
"""The longest text a Zalo message carries; a longer one is cut before anything reads it."""
IMAGE: Final = "message.image.received"
EVENTS: Final = {
    "message.sticker.received": "sticker",
    "message.voice.received": "voice",
    "message.unsupported.received": "unsupported",
}


@dataclass(frozen=True)
class Received:
    """One update worth handling: Zalo's message id (to tell a repeat) and the message."""

    message_id: str
    incoming: Incoming


def unwrap(body: dict[str, Any]) -> dict[str, Any]:
    """The update itself, whether it came flat or in ``{ok, result}``."""
    result = body.get("result")
    return result if "event_name" not in body and isinstance(result, dict) else body


def received(body: dict[str, Any], channel: str) -> Received | None:
    """The message in an update, or None for anything else (a bot's own message, an unknown shape)."""
    update = unwrap(body)
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    event = update.get("event_name")
    if not isinstance(event, str) or not event:
        event = _event_of(message)  # the documented sample names no event
    sender, chat = _object(message.get("from")), _object(message.get("chat"))
    user_id, chat_id, message_id = sender.get("id"), chat.get("id") or sender.get("id"), message.get("message_id")
    if not _identifier(user_id) or not _identifier(chat_id) or not _identifier(message_id) or sender.get("is_bot"):
        return None
    text: str | None = None
    kind: str | None = None
    if event == TEXT:
        text = str(message.get("text") or "") or None
    elif event == IMAGE:
        text = str(message.get("caption") or "") or None
        kind = None if text else "image"
    else:
        kind = EVENTS.get(event, "unsupported")
    name = cut(str(sender.get("display_name") or sender.get("first_name") or "") or None, NAME_LIMIT)
    incoming = Incoming(
        channel, str(user_id), str(chat_id), text=cut(text, TEXT_LIMIT), display_name=name,
        event=kind, private=chat.get("chat_type", "PRIVATE") == "PRIVATE", raw=update,
    )  # fmt: skip
    return Received(str(message_id), incoming)


def _object(value: object) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one: a field of another type is as good as missing."""
    return value if isinstance(value, dict) else {}


def _identifier(value: object) -> bool:
    """An id as Zalo sends them: a string or a number, not empty; anything else is a shape we do not know."""
    return isinstance(value, str | int) and not isinstance(value, bool) and str(value) != ""


def _event_of(message: dict[str, Any]) -> str:
    """The event a message without ``event_name`` stands for, from its fields."""
    if "text" in message:
        return TEXT
    if "photo_url" in message or "photo" in message:
        return IMAGE
    if "voice_url" in message:
        return "message.voice.received"
    return "message.sticker.received" if "sticker" in message else "message.unsupported.received"
