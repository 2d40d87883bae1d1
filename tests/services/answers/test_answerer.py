"""The engine on the real content, without the re-ranker: the right item per language, abstention, the API."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bot.core.content import Content, Section
from bot.services.answers import Answer, Answerer
from tests.services.answers.cases import IN_SCOPE, OUT_OF_SCOPE, Case

KINDS = {"faq", "event", "course", "tour", "site"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Học phí lớp tiếng Việt đã gồm giáo trình chưa?", {("faq", "class-fee")}),
        ("chuyen di co loa khoi hanh luc may gio", {("tour", "spring-2027-co-loa"), ("faq", "tour-meeting-point")}),
        ("Who was Saint Giong?", {("site", "den-phu-dong")}),
        ("Où a lieu la fête du Nouvel An asiatique ?", {("event", "asian-new-year-festival")}),
        ("Как работает лист ожидания?", {("faq", "waitlist")}),
        ("唐林古村有什么特色菜？", {("site", "duong-lam")}),
        ("中級クラスの受講料はいくらですか", {("course", "vietnamese-intermediate"), ("faq", "class-fee")}),
        ("대기자 명단은 어떻게 운영돼요?", {("faq", "waitlist")}),
    ],
)
def test_a_question_per_language_finds_its_item(
    lexical_answerer: Answerer, question: str, expected: set[tuple[str, str]]
) -> None:
    answer = lexical_answerer.answer(question)
    assert (answer.kind, answer.id) in expected
    assert 0.5 <= answer.score <= 1.0


@pytest.mark.parametrize(
    "question",
    [
        "Where can I buy a used motorbike?",
        "Quelle est la capitale de l'Australie ?",
        "Какая погода будет завтра?",
        "明天天气怎么样？",
        "비자 연장은 어떻게 하나요?",
        "Quán phở nào ngon nhất Hà Nội?",
    ],
)
def test_out_of_scope_questions_go_to_staff(full_answerer: Answerer, question: str) -> None:
    answer = full_answerer.answer(question)
    assert answer.id is None
    assert answer.kind is None
    assert answer.alternatives == ()
    assert 0.0 <= answer.score < 0.5


def _right(answer: Answer, case: Case) -> bool:
    return answer.id in case.accept if case.accept else answer.id is None


def test_most_questions_of_the_test_set_are_handled_right(lexical_answerer: Answerer) -> None:
    found = [_right(lexical_answerer.answer(case.q), case) for case in IN_SCOPE]
    abstained = [_right(lexical_answerer.answer(case.q), case) for case in OUT_OF_SCOPE]
    assert sum(found) / len(found) >= 0.85
    assert sum(abstained) / len(abstained) >= 0.8


def test_every_answer_says_the_language_of_the_question(lexical_answerer: Answerer) -> None:
    for case in (*IN_SCOPE, *OUT_OF_SCOPE):
        assert lexical_answerer.answer(case.q).lang == case.lang, case.q


def test_the_answer_carries_the_field_asked(lexical_answerer: Answerer) -> None:
    answer = lexical_answerer.answer("Combien coûte la sortie à Cổ Loa ?")
    assert (answer.id, answer.field) == ("spring-2027-co-loa", "fee")
    assert lexical_answerer.answer("Where do the tours leave from?").field == "place"


def test_alternatives_are_close_items_other_than_the_answer(lexical_answerer: Answerer, content: Content) -> None:
    ids = {kind: set(section.items) for kind, section in _sections(content).items()}
    for case in IN_SCOPE:
        answer = lexical_answerer.answer(case.q)
        assert len(answer.alternatives) <= 3
        for kind, item_id in answer.alternatives:
            assert item_id in ids[kind]
            assert item_id != answer.id


def test_a_bare_name_finds_the_place(lexical_answerer: Answerer) -> None:
    for name in ("Chùa Thầy", "chua thay", "Cổ Loa"):
        answer = lexical_answerer.answer(name)
        assert answer.kind == "site", name
        assert answer.lang == "vi"


def test_a_tour_named_by_a_site_it_visits(lexical_answerer: Answerer) -> None:
    answer = lexical_answerer.answer("When does the Đền Và trip leave?")
    assert (answer.kind, answer.id, answer.field) == ("tour", "spring-2027-son-tay", "date")


def test_typing_mistakes_are_forgiven(lexical_answerer: Answerer) -> None:
    assert lexical_answerer.answer("how do I cancle my registraton?").id == "cancel-registration"
    assert lexical_answerer.answer("Comment s'inscirre au cours de vietnamien ?").id == "register-class"


def test_empty_questions_find_nothing(lexical_answerer: Answerer) -> None:
    for question in ("", "   ", "?!", "🙂"):
        answer = lexical_answerer.answer(question, "fr")
        assert answer.id is None
        assert answer.lang == "fr"


def test_the_hint_is_the_language_of_a_bare_name(lexical_answerer: Answerer) -> None:
    answer = lexical_answerer.answer("HAUFO", "ru")
    assert answer.lang == "ru"


def test_the_answer_is_a_frozen_value(lexical_answerer: Answerer) -> None:
    answer = lexical_answerer.answer("What is HAUFO?")
    assert answer.id == "about-haufo"
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.id = "contact"  # type: ignore[misc]
    assert {f.name for f in dataclasses.fields(Answer)} == {"id", "kind", "score", "lang", "field", "alternatives"}


def test_the_engine_works_without_the_re_ranker(lexical_answerer: Answerer) -> None:
    assert lexical_answerer.semantic_enabled is False
    assert lexical_answerer.answer("How do I sign up for a spring tour?").id == "register-tour"


def _sections(content: Content) -> dict[str, Section[Any]]:
    return {section.kind: section for section in content.by_file().values()}
