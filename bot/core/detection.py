"""Guessing the language of what a user writes, among the seven the bot speaks."""

from __future__ import annotations

from typing import Final

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bot.core.languages import LANGUAGES, Language, parse_language

MIN_LETTERS: Final = 3
MIN_CONFIDENCE: Final = 0.8


class LanguageDetector:
    """py3langid restricted to the supported languages; silent when the text is too short to tell."""

    def __init__(self) -> None:
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._identifier.set_languages(list(LANGUAGES))

    def detect(self, text: str) -> Language | None:
        """The language of ``text``, or None when unsure."""
        if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
            return None
        code, confidence = self._identifier.classify(text)
        return parse_language(str(code)) if confidence >= MIN_CONFIDENCE else None
