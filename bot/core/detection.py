"""Guessing the language of what a user writes, among the seven the bot speaks."""

from __future__ import annotations

from typing import Final

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier, _load_model_file

from bot.core.languages import LANGUAGES, Language, parse_language

MIN_LETTERS: Final = 3
MIN_CONFIDENCE: Final = 0.8


class LanguageDetector:
    """py3langid restricted to the supported languages; silent when the text is too short to tell."""

    def __init__(self) -> None:
        # As ``from_model_file`` then ``set_languages``, but the other 135 languages' columns (27 MB) are let go.
        ptc, pc, classes, nextmove, row, output = _load_model_file(MODEL_DIR / MODEL_FILE)
        kept = [i for i, code in enumerate(classes) if code in LANGUAGES]
        self._identifier = LanguageIdentifier(
            np.ascontiguousarray(np.asarray(ptc)[:, kept]),
            np.asarray(pc)[kept],
            [classes[i] for i in kept],
            nextmove,
            output,
            norm_probs=True,
            tk_row=row,
        )

    def detect(self, text: str) -> Language | None:
        """The language of ``text``, or None when unsure."""
        if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
            return None
        code, confidence = self._identifier.classify(text)
        return parse_language(str(code)) if confidence >= MIN_CONFIDENCE else None

    def rank(self, text: str, among: tuple[Language, ...]) -> list[tuple[Language, float]]:
        """The languages of ``among`` by likelihood for ``text``, best first, their probabilities summing to 1
        (all 0 when the text is plainly in another of the seven).

        The same as a model restricted to ``among``: the probabilities are a softmax over the seven, and
        renormalizing a softmax over some of its classes gives the softmax over those.
        """
        ranked: list[tuple[Language, float]] = []
        for code, probability in self._identifier.rank(text):
            lang = parse_language(str(code))
            if lang is not None and lang in among:
                ranked.append((lang, float(probability)))
        total = sum(p for _, p in ranked)
        return [(lang, p / total) for lang, p in ranked] if total > 0 else ranked
