"""Replies as Zalo messages: plain text (Zalo has no formatting), buttons as numbered lines, venues as
name, address and map link, at most 2000 characters a message, split on paragraph boundaries; an image
that the web server publishes (a ticket's QR code) as a photo by URL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from bot.core.messages import Reply
from bot.core.numbered import with_numbered_buttons
from bot.core.splitting import split_text

MAX_TEXT: Final = 2000


@dataclass(frozen=True)
class ZaloMessage:
    """One call: a text, or a photo by URL with its caption."""

    text: str
    photo_url: str | None = None


def zalo_messages(replies: Sequence[Reply]) -> list[ZaloMessage]:
    """What to send for ``replies``, in order."""
    shown = [replace(reply, text=_with_venue(reply)) for reply in replies]
    messages: list[ZaloMessage] = []
    for reply, text in zip(shown, with_numbered_buttons(shown), strict=True):
        if reply.image_url is not None:
            messages.append(ZaloMessage("", reply.image_url))
        messages += [ZaloMessage(piece) for piece in split_text(text, MAX_TEXT) if piece.strip()]
    return messages


def _with_venue(reply: Reply) -> str:
    venue = reply.venue
    if venue is None:
        return reply.text
    return "\n".join((reply.text, "", f"📍 {venue.title}", venue.address, f"🗺 {venue.map_url}"))
