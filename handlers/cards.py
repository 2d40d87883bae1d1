"""A content item's card by its kind and id, as its own button opens it (from an answer, a quiz question)."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from bot.conversation import Context
from bot.core.messages import Incoming, Reply, make_payload
from bot.core.router import Handler
from handlers import classes, events, sites, tours

CARDS: Final[dict[str, Handler]] = {
    "tour": tours.show_tour,
    "course": classes.show_course,
    "event": events.show_event,
    "site": sites.show_site,
}
"""The card handler of each kind; its button's prefix is the kind."""


async def open_card(message: Incoming, ctx: Context, kind: str, item_id: str) -> list[Reply]:
    """The card of ``item_id`` (of ``kind``, one of ``CARDS``), as if its button had been pressed."""
    return await CARDS[kind](replace(message, text=None, payload=make_payload(kind, item_id)), ctx)
