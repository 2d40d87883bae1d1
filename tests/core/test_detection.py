"""The language detector: what a user writes in, and how likely each of a few languages is for a text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bot.core.detection import LanguageDetector
from bot.core.langid_model import load_language_model
from bot.core.languages import LANGUAGES, Language

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


MIXED = (
    *TEXTS,
    "",
    "ĐĂNG KÝ LỚP TIẾNG VIỆT",
    "Cho tôi hỏi lịch học lớp tiếng Việt tuần này",
    "dc dan con nho di cung k ad",
    "请问周六的唐林之旅还有空位吗？",
    "ドゥオンラム村へのツアーは何時に出発しますか。",
    "두엉럼 투어는 몇 시에 출발합니까?",
    "Bonjour, je souhaiterais m’inscrire au cours de vietnamien (niveau débutant).",
    "\udcff broken surrogate",
)


def test_the_small_model_counts_what_py3langid_counts(detector: LanguageDetector) -> None:
    """The suffix lookup gives py3langid's own probabilities over the seven languages, in every script."""
    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    full.set_languages(list(LANGUAGES))
    for text in MIXED:
        expected = dict(full.rank(text))
        got = dict(detector.rank(text, LANGUAGES))
        assert got == pytest.approx({lang: float(expected[lang]) for lang in LANGUAGES}, abs=1e-5), text


def test_the_model_is_derived_once_and_read_from_the_cache(tmp_path: Path) -> None:
    first = load_language_model(tmp_path)
    (stored,) = tmp_path.glob("langid-*.npz")
    again = load_language_model(tmp_path)
    assert stored.stat().st_size < 5_000_000
    assert again.languages == first.languages == LANGUAGES
    assert np.array_equal(again.keys, first.keys) and np.array_equal(again.weights, first.weights)
    text = "Est-ce que le cours du samedi est complet ?"
    assert np.allclose(again.probabilities(text), first.probabilities(text))
