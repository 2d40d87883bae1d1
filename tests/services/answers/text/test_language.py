"""The language of a question, from a few words, including Vietnamese typed without diacritics."""

from __future__ import annotations

import pytest

from bot.core.content import Content
from bot.core.detection import LanguageDetector
from bot.services.answers.ranking.entries import entries
from bot.services.answers.text.language import LanguageGuesser
from bot.services.answers.text.romanized import RomanizedVietnamese
from bot.services.answers.text.syllables import is_syllable


@pytest.fixture(scope="module")
def guesser(content: Content, detector: LanguageDetector) -> LanguageGuesser:
    return LanguageGuesser(RomanizedVietnamese(entries(content)), detector)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Lớp tiếng Việt khai giảng khi nào?", "vi"),
        ("tour duong lam bao gio", "vi"),
        ("hoc phi lop tieng viet bao nhieu", "vi"),
        ("cho minh hoi van phong o dau", "vi"),
        ("xe don o dau vay", "vi"),
        ("What time does the coach leave?", "en"),
        ("when is the son tay / duong lam trip?", "en"),
        ("Où se trouve le bureau de l'HAUFO ?", "fr"),
        ("Qui a construit la pagode Thầy ?", "fr"),
        ("Когда начинаются занятия?", "ru"),
        ("报名截止日期是哪天？", "zh"),
        ("可以改成在Zalo上收提醒吗", "zh"),
        ("授業は何曜日ですか", "ja"),
        ("ツアーの集合場所はどこですか", "ja"),
        ("수업료는 얼마예요?", "ko"),
        ("HAUFO랑 VUFO는 무슨 차이예요?", "ko"),
    ],
)
def test_the_language_of_a_question(guesser: LanguageGuesser, question: str, lang: str) -> None:
    assert guesser.guess(question) == lang


def test_romanized_vietnamese_is_told_from_english_and_french(content: Content) -> None:
    romanized = RomanizedVietnamese(entries(content))
    assert romanized.probability("lam sao de dang ky lop hoc") > 0.9
    assert romanized.probability("bi tre may phut thi xe co doi ko") > 0.9
    assert romanized.probability("can I go to the temple") < 0.1
    assert romanized.probability("est-ce que le cours est payant") < 0.1


def test_a_hint_settles_what_the_text_cannot(guesser: LanguageGuesser) -> None:
    assert guesser.guess("HAUFO?", "ru") == "ru"
    assert guesser.guess("祝日休講", "ja") == "ja"
    assert guesser.guess("祝日休講") == "zh"
    assert guesser.guess("!!!", "ko") == "ko"
    assert guesser.guess("???") == "en"


def test_a_hint_does_not_override_a_clear_sentence(guesser: LanguageGuesser) -> None:
    assert guesser.guess("Combien coûte la sortie de printemps ?", "en") == "fr"
    assert guesser.guess("Сколько стоит курс?", "vi") == "ru"


@pytest.mark.parametrize("word", ["duong", "nghieng", "khong", "nguyen", "thuong", "ko"])
def test_vietnamese_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["tour", "where", "what", "register", "privacy", "strength"])
def test_words_that_cannot_be_vietnamese_syllables(word: str) -> None:
    assert not is_syllable(word)
