"""Telling Vietnamese typed without diacritics (``hoc phi bao nhieu``) from English and French."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Final, Protocol

from bot.core.languages import Language
from bot.services.answers.text.folding import fold_word
from bot.services.answers.text.scripts import Script
from bot.services.answers.text.stopwords import STOPWORDS, VIETNAMESE_PLAIN
from bot.services.answers.text.syllables import is_syllable
from bot.services.answers.text.tokens import words

_RIVALS: Final[tuple[Language, ...]] = ("vi", "en", "fr")
_FUNCTION_WORD_COUNT: Final = 30
"""How often a function word counts as seen, on top of the content."""
_SEEN_WEIGHT: Final = 0.8
_UNSEEN_SYLLABLE: Final = 1 / 8_000
"""Vietnamese has some 8,000 written syllables, so one the content lacks is still fairly likely."""
_UNSEEN_NON_SYLLABLE: Final = 1e-8
_UNSEEN_WORD: Final = 1 / 300_000
"""English and French have large vocabularies: an unseen word is a rare word."""


class Texts(Protocol):
    """Something written in several languages, as a content entry is: (field name, text) pairs per language."""

    def texts(self, lang: Language) -> Iterable[tuple[str, str]]:
        """(field name, text) for every field in ``lang``."""
        ...


class RomanizedVietnamese:
    """A word-level naive Bayes over folded words, trained on the content in vi, en and fr.

    Vietnamese words the content never uses still count when they are shaped like Vietnamese syllables.
    """

    def __init__(self, entries: Iterable[Texts]) -> None:
        counts: dict[Language, Counter[str]] = {lang: Counter() for lang in _RIVALS}
        for entry in entries:
            for lang in _RIVALS:
                for _, text in entry.texts(lang):
                    counts[lang].update(w.folded for w in words(text) if w.script is Script.LATIN)
        for lang in _RIVALS:
            extra = VIETNAMESE_PLAIN | {fold_word(w) for w in STOPWORDS["vi"]} if lang == "vi" else STOPWORDS[lang]
            for word in extra:
                counts[lang][fold_word(word)] += _FUNCTION_WORD_COUNT
        self._counts = counts
        self._totals = {lang: sum(c.values()) for lang, c in counts.items()}

    def _log_probability(self, word: str, lang: Language) -> float:
        seen = self._counts[lang][word] / self._totals[lang]
        unseen = _UNSEEN_WORD
        if lang == "vi":
            unseen = _UNSEEN_SYLLABLE if is_syllable(word) else _UNSEEN_NON_SYLLABLE
        return math.log(_SEEN_WEIGHT * seen + (1 - _SEEN_WEIGHT) * unseen)

    def probability(self, text: str) -> float:
        """How likely ``text`` is Vietnamese rather than English or French, judged on its Latin words."""
        latin = [w.folded for w in words(text) if w.script is Script.LATIN]
        if not latin:
            return 0.0
        scores = {lang: sum(self._log_probability(w, lang) for w in latin) for lang in _RIVALS}
        top = max(scores.values())
        weights = {lang: math.exp(score - top) for lang, score in scores.items()}
        return weights["vi"] / sum(weights.values())
