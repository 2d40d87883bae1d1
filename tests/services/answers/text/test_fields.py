"""Whether a question asks for the date, the place, the fee or what to bring, in each language."""

from __future__ import annotations

import pytest

from bot.services.answers.text.fields import field_asked


@pytest.mark.parametrize(
    ("question", "lang", "field"),
    [
        ("When does the Cổ Loa tour leave?", "en", "date"),
        ("Where is the meeting point?", "en", "place"),
        ("How much does the beginner course cost?", "en", "fee"),
        ("What should I bring on the tour?", "en", "bring"),
        ("Who built Mía Pagoda?", "en", None),
        ("Lớp trung cấp khai giảng khi nào?", "vi", "date"),
        ("tour duong lam bao gio", "vi", "date"),
        ("Văn phòng HAUFO ở đâu?", "vi", "place"),
        ("hoc phi lop tieng viet bao nhieu", "vi", "fee"),
        ("Đi tour cần mang theo gì?", "vi", "bring"),
        ("Quand commence le cours ?", "fr", "date"),
        ("Où est le point de rendez-vous ?", "fr", "place"),
        ("Combien coûte la sortie ?", "fr", "fee"),
        ("Que faut-il apporter ?", "fr", "bring"),
        ("Когда начинается курс?", "ru", "date"),
        ("Где находится офис?", "ru", "place"),
        ("Сколько стоит поездка?", "ru", "fee"),
        ("Что взять с собой в поездку?", "ru", "bring"),
        ("Сколько человек в группе?", "ru", None),
        ("春游什么时候出发？", "zh", "date"),
        ("集合点在哪里？", "zh", "place"),
        ("学费多少钱？", "zh", "fee"),
        ("需要带什么？", "zh", "bring"),
        ("講座はいつ始まりますか", "ja", "date"),
        ("事務所はどこですか", "ja", "place"),
        ("受講料はいくらですか", "ja", "fee"),
        ("持ち物は何ですか", "ja", "bring"),
        ("투어는 언제 출발해요?", "ko", "date"),
        ("사무실은 어디예요?", "ko", "place"),
        ("수강료는 얼마예요?", "ko", "fee"),
        ("준비물이 뭐예요?", "ko", "bring"),
    ],
)
def test_field_hints(question: str, lang: str, field: str | None) -> None:
    assert field_asked(question, lang) == field
