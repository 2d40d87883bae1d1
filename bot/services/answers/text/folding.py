"""Unicode normalisation and accent folding (Vietnamese diacritics, French accents, Russian ё)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Final

# Latin, Greek and Cyrillic letters are folded (Vietnamese ones live in Latin Extended Additional, U+1E00–1EFF);
# Hangul and kana must never be decomposed.
_FOLDABLE_BELOW: Final = 0x0590
_EXTENDED_LATIN: Final = range(0x1E00, 0x1F00)
_SPECIAL: Final = {"й": "й", "đ": "d", "ð": "d", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ß": "ss"}


def normalize(text: str) -> str:
    """NFKC-normalised, case-folded ``text``, with typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("’", "'").replace("‘", "'").replace("`", "'")


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """``word`` without diacritics: ``đường`` → ``duong``, ``élève`` → ``eleve``, ``ёлка`` → ``елка``."""
    if word.isascii():
        return word
    out: list[str] = []
    for char in word:
        if ord(char) >= _FOLDABLE_BELOW and ord(char) not in _EXTENDED_LATIN:
            out.append(char)
        elif char in _SPECIAL:
            out.append(_SPECIAL[char])
        else:
            decomposed = unicodedata.normalize("NFD", char)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)) or char)
    return unicodedata.normalize("NFC", "".join(out))


def fold(text: str) -> str:
    """Normalised ``text`` with every foldable letter stripped of its diacritics."""
    return fold_word(normalize(text))
