"""The language a question is written in, among the seven the bot speaks, even for a few words."""

from __future__ import annotations

from typing import Final

from bot.core.detection import LanguageDetector
from bot.core.languages import DEFAULT_LANGUAGE, Language, parse_language
from bot.services.answers.text.folding import normalize
from bot.services.answers.text.romanized import RomanizedVietnamese
from bot.services.answers.text.scripts import Script, count_scripts
from bot.services.answers.text.tokens import words

_LATIN: Final[tuple[Language, ...]] = ("en", "fr")
_FRENCH_ACCENTS: Final = frozenset("àâäçéèêëîïôöùûüÿœæ")
_ROMANIZED_THRESHOLD: Final = 0.5
_VIETNAMESE_WORD_SHARE: Final = 0.4
"""Share of words with Vietnamese-only diacritics from which a Latin text is Vietnamese, not names in a sentence."""
_MIN_CONFIDENCE: Final = 0.6
"""Below this py3langid probability a short text keeps the caller's hint."""


def _has_vietnamese_marks(word: str) -> bool:
    return any(not ch.isascii() and ch.isalpha() and ch not in _FRENCH_ACCENTS for ch in word)


class LanguageGuesser:
    """Script first (Hangul, kana, Han, Cyrillic), then for Latin text romanized Vietnamese and py3langid."""

    def __init__(self, romanized: RomanizedVietnamese, detector: LanguageDetector) -> None:
        self._romanized = romanized
        self._detector = detector

    def guess(self, text: str, hint: str | None = None) -> Language:
        """The language of ``text``; ``hint`` (the user's or platform's language) settles what text cannot."""
        fallback = parse_language(hint)
        counts = count_scripts(text)
        hangul, kana, han = counts.get(Script.HANGUL, 0), counts.get(Script.KANA, 0), counts.get(Script.HAN, 0)
        cyrillic, latin = counts.get(Script.CYRILLIC, 0), counts.get(Script.LATIN, 0)
        if hangul and hangul >= kana:
            return "ko"
        if kana:
            return "ja"
        latin_words = [w for w in words(text) if w.script is Script.LATIN]
        if han and han >= len(latin_words):
            return "ja" if fallback == "ja" else "zh"
        if cyrillic and cyrillic >= latin:
            return "ru"
        if not latin_words:
            return fallback or DEFAULT_LANGUAGE
        return self._latin_language(text, [w.exact for w in latin_words], fallback)

    def _latin_language(self, text: str, latin_words: list[str], fallback: Language | None) -> Language:
        marked = [w for w in latin_words if _has_vietnamese_marks(w)]
        if marked and len(marked) / len(latin_words) >= _VIETNAMESE_WORD_SHARE:
            return "vi"
        # A few accented words in an English or French sentence are names ("the Đền Và trip"): judge the rest.
        rest = [w for w in latin_words if not _has_vietnamese_marks(w)]
        if not rest:
            return "vi"
        plain = " ".join(rest) if marked else text
        if self._romanized.probability(plain) >= _ROMANIZED_THRESHOLD:
            if len(latin_words) > 1 or fallback in (None, "vi"):
                return "vi"
            return fallback or "vi"
        ranked = self._detector.rank(normalize(plain), _LATIN)
        guessed, share = ranked[0]
        confidence = share / max(sum(p for _, p in ranked), 1e-9)
        unsure = len(latin_words) == 1 or (len(latin_words) < 3 and confidence < _MIN_CONFIDENCE)
        if unsure:
            return fallback or (guessed if confidence >= _MIN_CONFIDENCE else DEFAULT_LANGUAGE)
        return guessed
