"""The lexical index and its speller: built once per content version, then read back from the cache."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from bot.core.content import Content
from bot.services.answers.ranking import lexical_store
from bot.services.answers.ranking.entries import entries
from bot.services.answers.ranking.lexical_store import lexical_parts

QUESTIONS = (["duong", "lam", "tour"], ["cổ", "loa", "co_loa"], ["lớp", "tiếng", "việt"], ["唐林", "林"], ["visa"])


def test_the_index_read_back_answers_as_the_one_built(content: Content, tmp_path: Path) -> None:
    items = entries(content)
    built, built_speller = lexical_parts(items, None)
    lexical_parts(items, tmp_path)
    (folder,) = tmp_path.glob("lexical-*")
    index, speller = lexical_parts(items, tmp_path)
    for terms in QUESTIONS:
        assert np.array_equal(index.scores(terms), built.scores(terms))
        assert [index.idf(t) for t in terms] == [built.idf(t) for t in terms]
        assert [index.holds(3, t) for t in terms] == [built.holds(3, t) for t in terms]
    assert set(index.vocabulary) == set(built.vocabulary)
    for typo in ("registraton", "citadell", "pagode", "excursoin"):
        assert speller.corrections(typo) == built_speller.corrections(typo)
    assert speller.corrections("registraton"), "a typo of a word the content uses is mended"
    assert folder.is_dir()


def test_a_stored_index_is_not_built_again_and_new_content_is(
    content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = entries(content)
    lexical_parts(items, tmp_path)
    monkeypatch.setattr(lexical_store, "_build", lambda _items: pytest.fail("built again"))
    lexical_parts(items, tmp_path)
    monkeypatch.undo()
    changed = (dataclasses.replace(items[0], asked={"en": ("A brand new way to ask",)}), *items[1:])
    lexical_parts(changed, tmp_path)
    assert len(list(tmp_path.glob("lexical-*"))) == 2
