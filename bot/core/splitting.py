"""Long texts in pieces a platform accepts (Telegram 4096 characters, Zalo 2000), cut where a reader
would pause: between paragraphs, then after a sentence, then at a line or a word."""

from __future__ import annotations

import re
from typing import Final

SENTENCE_END: Final = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])")
"""After a full stop, question or exclamation mark: where a space follows, or at once after a CJK one."""


def _cut(window: str) -> int:
    """Where to end the piece that ``window`` (one character longer than allowed) begins."""
    paragraph = window.rfind("\n\n")
    if paragraph > 0:
        return paragraph
    sentences = [match.start() for match in SENTENCE_END.finditer(window) if match.start() > 0]
    if sentences:
        return sentences[-1]
    for mark in ("\n", " "):
        position = window.rfind(mark)
        if position > 0:
            return position
    return len(window) - 1


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters; an empty text is one "…"."""
    pieces: list[str] = []
    rest = text.strip() or "…"
    while len(rest) > limit:
        cut = _cut(rest[: limit + 1])
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return [piece for piece in pieces if piece]
