"""Generic words for a kind of item ("trip", "班") in each language."""

from __future__ import annotations

import pytest

from bot.services.answers.text.kinds import kinds_named


@pytest.mark.parametrize(
    ("question", "lang", "kinds"),
    [
        ("When is the Chua Thay trip?", "en", {"tour"}),
        ("Pour la sortie à Cổ Loa, le prix comprend les entrées ?", "fr", {"tour"}),
        ("tour chua thay co phai leo nhieu bac ko", "vi", {"tour"}),
        ("chuyen di co loa khoi hanh luc may gio", "vi", {"tour"}),
        ("На экскурсии будет гид?", "ru", {"tour"}),
        ("柴寺那条线路的费用是多少", "zh", {"tour"}),
        ("ソンタイのツアーは雨でも決行ですか", "ja", {"tour"}),
        ("선떠이 투어에 점심 포함이에요?", "ko", {"tour"}),
        ("advanced course - any certificate at the end?", "en", {"course"}),
        ("Lớp trung cấp có dạy bằng tiếng Việt không?", "vi", {"course"}),
        ("初级班是用英语讲课吗？", "zh", {"course"}),
        ("중급반 선생님은 베트남 분이에요?", "ko", {"course"}),
        ("Who built Mía Pagoda?", "en", set()),
    ],
)
def test_kind_words(question: str, lang: str, kinds: set[str]) -> None:
    assert kinds_named(question, lang) == kinds
