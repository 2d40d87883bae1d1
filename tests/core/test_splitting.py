"""Long texts split for a platform's limit: at paragraphs, then sentences, then lines and words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.splitting import split_text


def test_a_short_text_is_one_piece_and_an_empty_one_an_ellipsis() -> None:
    assert split_text("Xin chào!", 2000) == ["Xin chào!"]
    assert split_text("  ", 2000) == ["…"]


def test_paragraphs_come_first() -> None:
    text = "First paragraph. It has two sentences.\n\nSecond paragraph."
    assert split_text(text, 45) == ["First paragraph. It has two sentences.", "Second paragraph."]


def test_then_sentences_in_latin_cyrillic_and_cjk_text() -> None:
    assert split_text("Один. Два три четыре. Пять.", 22) == ["Один. Два три четыре.", "Пять."]
    assert split_text("旅行は朝出発します。バスは七時半です。", 12) == ["旅行は朝出発します。", "バスは七時半です。"]


def test_then_words_and_at_last_anywhere() -> None:
    assert split_text("one two three four", 9) == ["one two", "three", "four"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


@given(st.text(min_size=1, max_size=3000), st.integers(min_value=20, max_value=4096))
def test_no_piece_is_too_long_and_no_word_is_lost(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(0 < len(piece) <= limit for piece in pieces)
    assert "".join("".join(pieces).split()) == ("".join(text.split()) or "…")
