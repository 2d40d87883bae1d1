"""Whether a word written without diacritics can be a Vietnamese syllable (``duong``, ``nghieng``, ``khong``)."""

from __future__ import annotations

import re
from typing import Final

_ONSET: Final = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
# Vowel clusters that occur in Vietnamese rhymes once diacritics are removed (uye in nguyen, uoi in nguoi …).
_NUCLEUS: Final = (
    r"(?:uye|uya|uyu|uoi|uou|ieu|yeu|oai|oay|oeo|uay|uai|uoi|uy|ua|ue|ui|uo|uu|ia|ie|iu|ye|yu|"
    r"ai|ao|au|ay|eo|eu|oa|oe|oi|oo|a|e|i|o|u|y)"
)
_CODA: Final = r"(?:ch|nh|ng|c|m|n|p|t)?"
_SYLLABLE: Final = re.compile(rf"{_ONSET}{_NUCLEUS}{_CODA}")
# Spellings Vietnamese chat uses for common words: ko (không), dc (được), j (gì), bn (bao nhiêu) …
CHAT_SPELLINGS: Final = frozenset(
    {
        "ko",
        "k",
        "khg",
        "kh",
        "hok",
        "dc",
        "dk",
        "đc",
        "j",
        "bn",
        "bnh",
        "ntn",
        "z",
        "v",
        "vs",
        "cx",
        "ng",
        "nc",
        "tks",
        "ak",
    }
)


def is_syllable(word: str) -> bool:
    """True if the folded, lowercase ``word`` is shaped like a Vietnamese syllable or a chat spelling of one."""
    return word in CHAT_SPELLINGS or _SYLLABLE.fullmatch(word) is not None
