"""Index terms: Unicode normalisation, Vietnamese folding that keeps the exact form, CJK n-grams, typos."""

from __future__ import annotations

from bot.services.answers.text.folding import fold, fold_word, normalize
from bot.services.answers.text.spelling import Speller
from bot.services.answers.text.tokens import terms, words


def test_folding_removes_vietnamese_and_french_diacritics() -> None:
    assert fold("Đường Lâm, Cổ Loa, chùa Thầy") == "duong lam, co loa, chua thay"
    assert fold_word("élève") == "eleve"
    assert fold_word("ёлка") == "елка"
    assert fold_word("й") == "й"


def test_folding_leaves_hangul_and_kana_whole() -> None:
    assert fold("한국어 ガイド") == "한국어 ガイド"


def test_normalisation_makes_width_and_case_plain() -> None:
    assert normalize("ＨＡＵＦＯ’s") == "haufo's"


def test_vietnamese_keeps_the_exact_form_and_adds_the_folded_one() -> None:
    found = terms("Chùa Thầy")
    assert {"chùa", "chua", "thầy", "thay", "chua_thay"} <= set(found)


def test_chinese_and_japanese_give_character_bigrams() -> None:
    assert {"柴寺", "线路", "费用"} <= set(terms("柴寺那条线路的费用"))
    assert {"集合", "場所"} <= set(terms("集合場所"))


def test_korean_splits_from_latin_and_gives_bigrams() -> None:
    found = words("HAUFO랑 VUFO는")
    assert [w.exact for w in found] == ["haufo", "랑", "vufo", "는"]
    assert {"수업", "업료"} <= set(terms("수업료"))


def test_stems_join_word_forms() -> None:
    from bot.services.answers.text.stemming import stemmer

    stem = stemmer("ru")
    if stem is None:  # PyStemmer not installed
        return
    assert set(terms("начального уровня", stem=stem)) & set(terms("начальный уровень", stem=stem))


def test_one_typing_mistake_is_mended() -> None:
    speller = Speller.build(["registration", "vietnamese", "citadel", "pagoda"])
    assert speller.corrections("registraton") == ["registration"]
    assert speller.corrections("vietnamsee") == ["vietnamese"]
    assert speller.corrections("citadel") == []
    assert speller.corrections("xyzzy") == []
