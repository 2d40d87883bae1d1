"""Zalo updates as they arrive (recorded shapes): ``{event_name, message}``, ``message_id`` a string,
``date`` in milliseconds, no language hint; the webhook delivers them flat or wrapped in ``{ok, result}``."""

from __future__ import annotations

import itertools
import time
from typing import Any

_ids = itertools.count(1)


def _message(user_id: str, name: str, message_id: str | None, **fields: Any) -> dict[str, Any]:
    return {
        "from": {"id": user_id, "display_name": name, "is_bot": False},
        "chat": {"id": user_id, "chat_type": "PRIVATE"},
        "message_id": message_id or f"msg{next(_ids):08d}",
        "date": int(time.time() * 1000),
        **fields,
    }


def text(user_id: str, body: str, *, name: str = "Nguyễn An", message_id: str | None = None) -> dict[str, Any]:
    """``message.text.received``."""
    return {"event_name": "message.text.received", "message": _message(user_id, name, message_id, text=body)}


def image(user_id: str, *, caption: str = "", message_id: str | None = None) -> dict[str, Any]:
    """``message.image.received``: the photo arrives as ``photo_url``."""
    fields = {"photo_url": "https://photo-stal.zadn.vn/abc.jpg", "caption": caption}
    return {"event_name": "message.image.received", "message": _message(user_id, "An", message_id, **fields)}


def sticker(user_id: str, *, message_id: str | None = None) -> dict[str, Any]:
    """``message.sticker.received``."""
    fields = {"sticker": "bfe458bf64fa8da4d4eb", "url": "https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=1"}
    return {"event_name": "message.sticker.received", "message": _message(user_id, "An", message_id, **fields)}


def voice(user_id: str, *, message_id: str | None = None) -> dict[str, Any]:
    """``message.voice.received``."""
    fields = {"voice_url": "https://voice-stal.zadn.vn/abc.aac"}
    return {"event_name": "message.voice.received", "message": _message(user_id, "An", message_id, **fields)}


def unsupported(user_id: str, *, message_id: str | None = None) -> dict[str, Any]:
    """``message.unsupported.received``: a file, a contact card, a message from a protected user."""
    return {"event_name": "message.unsupported.received", "message": _message(user_id, "An", message_id)}


def wrapped(update: dict[str, Any]) -> dict[str, Any]:
    """The webhook body as the documentation shows it."""
    return {"ok": True, "result": update}
