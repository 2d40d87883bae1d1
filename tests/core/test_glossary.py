"""The glossary holds: one form of every name everywhere, and the FAQ names buttons by the labels they have."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

import pytest
from babel.messages.pofile import read_po

from bot.config import PROJECT_ROOT
from bot.core.content import Content
from bot.core.glossary import Glossary, load_glossary
from bot.core.languages import LANGUAGES, Language
from bot.core.quiz import check_quiz

CONTENT = PROJECT_ROOT / "content"
LOCALES = PROJECT_ROOT / "locales"
QUOTED: Final[dict[Language, re.Pattern[str]]] = {
    "vi": re.compile(r'"([^"]+)"|“([^”]+)”'),
    "en": re.compile(r'"([^"]+)"|“([^”]+)”'),
    "fr": re.compile(r"«\s*([^»]+?)\s*»"),
    "ru": re.compile(r'«([^»]+)»|"([^"]+)"'),
    "zh": re.compile(r'“([^”]+)”|"([^"]+)"'),
    "ja": re.compile(r"「([^」]+)」"),
    "ko": re.compile(r"'([^']+)'|‘([^’]+)’|\"([^\"]+)\""),
}
"""How each language quotes a button's label or a title in running text."""
_MARKS: Final = re.compile(r"^[^\w]+|[^\w)]+$")
"""Emoji and spaces around a label."""


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(CONTENT)


def _catalog(lang: Language) -> dict[str, str]:
    """The interface's translations into ``lang``, by English msgid (plural forms joined)."""
    path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        messages = read_po(handle, locale=lang)
    return {
        str(m.id if isinstance(m.id, str) else m.id[0]): " ".join(m.string) if isinstance(m.string, tuple) else m.string
        for m in messages
        if m.id
    }


def _content_texts(content: Content, lang: Language) -> Iterator[tuple[str, str]]:
    """(where, text) for every content text in ``lang``, the quiz's too."""
    for file_name, path, text in content.texts():
        yield f"{file_name}: {path}", text(lang)
    quiz, _ = check_quiz(PROJECT_ROOT / "content", None)
    for contest_id, contest in quiz.contests.items():
        yield f"quiz.yaml: {contest_id}", f"{contest.title(lang)} {contest.theme(lang)}"
        for question_id, question in contest.questions.items():
            parts = [question.text, question.explanation, *question.options.values()]
            yield f"quiz.yaml: {question_id}", " ".join(part(lang) for part in parts)


def test_no_variant_of_a_name_is_written_anywhere(glossary: Glossary, content: Content) -> None:
    found = []
    for lang in LANGUAGES:
        texts = [*_content_texts(content, lang), *((f"catalog {k!r}", v) for k, v in _catalog(lang).items())]
        for name_id, name in glossary.names.items():
            for variant in name.variants.get(lang, ()):
                found += [(lang, name_id, variant, where) for where, text in texts if variant in text]
    assert not found, "variant forms (write the glossary's instead): " + "; ".join(map(str, found))


def test_the_faq_names_each_button_by_its_label(glossary: Glossary, content: Content) -> None:
    """A quoted phrase in the FAQ is a label the interface shows (as its catalog words it) or a glossary name."""
    wrong = []
    for lang in LANGUAGES:
        catalog = _catalog(lang)
        labels = {_MARKS.sub("", catalog[msgid]) for msgid in glossary.labels.values()}
        names = {form for name in glossary.names.values() for form in (name.forms[lang], name.forms["vi"])}
        for item_id, item in content.faq.items.items():
            for text in (item.question(lang), item.answer(lang)):
                for match in QUOTED[lang].finditer(text):
                    quoted = next(group for group in match.groups() if group)
                    if quoted not in labels | names:
                        wrong.append((lang, item_id, quoted))
    assert not wrong, "quoted in the FAQ but not a label or a name: " + "; ".join(map(str, wrong))


def test_every_label_is_an_interface_string_and_every_name_has_seven_forms(glossary: Glossary) -> None:
    catalog = _catalog("en")
    assert set(glossary.labels.values()) <= set(catalog)
    for name_id, name in glossary.names.items():
        assert set(name.forms) == set(LANGUAGES), name_id
    assert set(glossary.registers) == set(LANGUAGES)
