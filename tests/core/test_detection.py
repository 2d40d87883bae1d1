"""The language detector: what a user writes in, and how likely each of a few languages is for a text."""

from __future__ import annotations

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bot.core.detection import LanguageDetector
from bot.core.languages import Language

TEXTS = (
    "What time does the coach leave?",
    "Où se trouve le bureau de l'HAUFO ?",
    "est-ce que le cours est payant",
    "when is the son tay / duong lam trip?",
    "visa",
    "tour",
    "Hanoi",
    "the 还剑湖 lake near the office",
    "Когда начинаются занятия?",
)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Where is the meeting point of the tour?", "en"), ("Когда начинаются занятия?", "ru"), ("ok", None)],
)
def test_the_language_of_a_text(detector: LanguageDetector, text: str, lang: Language | None) -> None:
    assert detector.detect(text) == lang


def test_ranking_some_languages_is_a_model_restricted_to_them(detector: LanguageDetector) -> None:
    among: tuple[Language, ...] = ("en", "fr")
    restricted = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    restricted.set_languages(list(among))
    for text in TEXTS:
        ranked = detector.rank(text, among)
        expected = restricted.rank(text)
        assert [lang for lang, _ in ranked] == [str(code) for code, _ in expected], text
        assert [p for _, p in ranked] == pytest.approx([float(p) for _, p in expected], abs=1e-5), text
        assert sum(p for _, p in ranked) == pytest.approx(1.0)


def test_ranking_keeps_only_the_languages_asked_for(detector: LanguageDetector) -> None:
    ranked = detector.rank("Сколько стоит курс?", ("ru", "vi", "en"))
    assert ranked[0][0] == "ru"
    assert {lang for lang, _ in ranked} == {"ru", "vi", "en"}
