"""Replies as the widget draws them: JSON the page turns into text nodes, buttons and links, never HTML."""

from __future__ import annotations

from typing import Any

from bot.core.messages import Reply


def body_of(reply: Reply) -> dict[str, Any]:
    """One bot message: its text, button rows (a payload to send back, or a link), picture and place."""
    body: dict[str, Any] = {"text": reply.text}
    rows = [[{"label": b.label, "payload": b.payload} if b.payload is not None else {"label": b.label, "url": b.url}
             for b in row] for row in reply.buttons]  # fmt: skip
    if rows:
        body["buttons"] = rows
    if reply.image_url is not None:
        body["image"] = reply.image_url
    if reply.venue is not None:
        venue = reply.venue
        body["venue"] = {"title": venue.title, "address": venue.address, "url": venue.map_url}
    return body


def said(text: str | None, label: str | None) -> dict[str, Any]:
    """The visitor's own message: what they typed, or the label of the button they pressed."""
    return {"text": label if label else text or ""}
