"""Which writing system a character belongs to, for the scripts the seven languages use."""

from __future__ import annotations

from enum import Enum
from functools import cache


class Script(Enum):
    """A writing system; HAN covers Chinese characters shared by Chinese and Japanese."""

    LATIN = "latin"
    CYRILLIC = "cyrillic"
    HAN = "han"
    KANA = "kana"
    HANGUL = "hangul"
    OTHER = "other"


@cache  # a few thousand distinct characters, looked up millions of times
def script_of(char: str) -> Script:
    """The script of one character (digits and punctuation are OTHER)."""
    code = ord(char)
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return Script.LATIN if char.isalpha() else Script.OTHER
    if 0x0400 <= code <= 0x052F:
        return Script.CYRILLIC
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return Script.KANA
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return Script.HAN
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return Script.HANGUL
    return Script.OTHER


def count_scripts(text: str) -> dict[Script, int]:
    """How many letters of each script ``text`` has."""
    counts: dict[Script, int] = {}
    for char in text:
        script = script_of(char)
        if script is not Script.OTHER:
            counts[script] = counts.get(script, 0) + 1
    return counts
