"""Buttons on platforms without them (Zalo, the console): numbered lines, pressed by typing the number
or the exact label (Rasa's ``send_text_with_buttons``)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.core.messages import Button, Reply


def pressable(replies: Sequence[Reply]) -> list[Button]:
    """The buttons a person can press by number, in the order they are numbered across ``replies``
    (link buttons are shown with their address instead)."""
    return [button for reply in replies for button in reply.all_buttons() if button.payload is not None]


def numbered_lines(reply: Reply, first: int) -> list[str]:
    """``reply``'s buttons as ``1. Label`` lines, numbered from ``first``; links as ``Label: address``."""
    lines, number = [], first
    for button in (button for row in reply.buttons for button in row):
        if button.url is not None:
            lines.append(f"{button.label}: {button.url}")
        else:
            lines.append(f"{number}. {button.label}")
            number += 1
    return lines


def with_numbered_buttons(replies: Sequence[Reply]) -> list[str]:
    """Each reply's text followed by its numbered buttons, numbered across all of ``replies``."""
    texts, first = [], 1
    for reply in replies:
        lines = numbered_lines(reply, first)
        first += sum(1 for row in reply.buttons for button in row if button.url is None)
        texts.append("\n\n".join(part for part in (reply.text, "\n".join(lines)) if part))
    return texts


def _words(label: str) -> str:
    """A label as a person types it: no emoji or punctuation, one space between words, any case."""
    kept = "".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in label)
    return " ".join(kept.split()).casefold()


def pressed(text: str, shown: Sequence[tuple[str, str]]) -> str | None:
    """The payload of the shown ``(label, payload)`` button that ``text`` presses: its label as typed (emoji,
    punctuation and case aside; so "2" on buttons labelled 0–3 means two), else its number alone; None when
    ``text`` is a message of its own."""
    typed, words = text.strip(), _words(text)
    by_label = next((payload for label, payload in shown if words and _words(label) == words), None)
    if by_label is not None or not typed.isdecimal():  # not isdigit: "²" is a digit int() cannot read
        return by_label
    index = int(typed) - 1
    return shown[index][1] if 0 <= index < len(shown) else None
