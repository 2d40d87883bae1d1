"""Guessing the language of what a user writes, among the seven the bot speaks."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from bot.core.langid_model import LanguageModel, load_language_model
from bot.core.languages import Language

MIN_LETTERS: Final = 3
MIN_CONFIDENCE: Final = 0.8


class LanguageDetector:
    """py3langid's model restricted to the supported languages; silent when the text is too short to tell."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        """The model is read from ``cache_dir`` (derived from py3langid's and stored there the first time)."""
        self._model: LanguageModel = load_language_model(cache_dir)

    def detect(self, text: str) -> Language | None:
        """The language of ``text``, or None when unsure."""
        if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
            return None
        probabilities = self._model.probabilities(text)
        best = int(probabilities.argmax())
        return self._model.languages[best] if probabilities[best] >= MIN_CONFIDENCE else None

    def rank(self, text: str, among: tuple[Language, ...]) -> list[tuple[Language, float]]:
        """The languages of ``among`` by likelihood for ``text``, best first, their probabilities summing to 1
        (all 0 when the text is plainly in another of the seven).

        The same as a model restricted to ``among``: the probabilities are a softmax over the seven, and
        renormalizing a softmax over some of its classes gives the softmax over those.
        """
        probabilities = self._model.probabilities(text).tolist()
        ranked = sorted(
            ((lang, p) for lang, p in zip(self._model.languages, probabilities, strict=True) if lang in among),
            key=lambda pair: pair[1],
            reverse=True,
        )
        total = sum(p for _, p in ranked)
        return [(lang, p / total) for lang, p in ranked] if total > 0 else ranked
