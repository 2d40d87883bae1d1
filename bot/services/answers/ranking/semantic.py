"""The semantic index: every sentence of the content and every example question as an e5 vector, compared with
the question's vector."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.core.languages import LANGUAGES, Language
from bot.services.answers.e5.cache import embed_cached
from bot.services.answers.e5.encoder import Encoder, Vector
from bot.services.answers.ranking.classifier import ItemClassifier
from bot.services.answers.ranking.entries import Entry
from bot.services.answers.text.folding import fold

PLAIN_VIETNAMESE: Final = "vi-plain"
"""Vietnamese passages without diacritics, matched against questions typed the same way."""
_TITLE_FIELDS: Final = frozenset({"question", "title", "name"})
_RECENT_QUESTIONS: Final = 1024
"""Vectors of this many recent questions are kept: the same question is often asked again."""


@dataclass(frozen=True)
class Passage:
    """One sentence of an entry, prefixed with the entry's title so that it stands on its own."""

    entry: int
    lang: str
    text: str


def passages(entries: Sequence[Entry]) -> Iterator[Passage]:
    """Every sentence of every entry in every language, grouped by language, then entry."""
    sources: list[tuple[str, Language]] = [*((lang, lang) for lang in LANGUAGES), (PLAIN_VIETNAMESE, "vi")]
    for lang, source in sources:
        for index, entry in enumerate(entries):
            title = entry.title(source)
            for field, sentence in entry.sentences(source):
                text = sentence if field in _TITLE_FIELDS else f"{title}: {sentence}"
                yield Passage(index, lang, fold(text) if lang == PLAIN_VIETNAMESE else text)


def examples(entries: Sequence[Entry]) -> Iterator[Passage]:
    """Every example question of every entry, grouped by language, then entry; Vietnamese ones also folded."""
    for lang in LANGUAGES:
        for index, entry in enumerate(entries):
            for question in entry.asked.get(lang, ()):
                yield Passage(index, lang, question)
    for index, entry in enumerate(entries):
        for question in entry.asked.get("vi", ()):
            yield Passage(index, PLAIN_VIETNAMESE, fold(question))


def _outside(out_of_scope: Mapping[Language, Sequence[str]]) -> Iterator[tuple[str, str]]:
    for lang, questions in out_of_scope.items():
        for question in questions:
            yield lang, question
            if lang == "vi":
                yield PLAIN_VIETNAMESE, fold(question)


_Block = tuple[npt.NDArray[np.float32], npt.NDArray[np.intp], npt.NDArray[np.intp]]


def _blocks(found: Sequence[Passage], vectors: npt.NDArray[np.float32]) -> dict[str, _Block]:
    """Per language: its vectors, and for each run of one entry's rows the entry and where the run starts.

    ``found`` comes grouped by language, so each language's vectors are a slice of ``vectors``, not a copy.
    """
    blocks: dict[str, _Block] = {}
    for lang in dict.fromkeys(p.lang for p in found):
        rows = np.array([i for i, p in enumerate(found) if p.lang == lang], dtype=np.intp)
        owners = np.array([found[i].entry for i in rows], dtype=np.intp)
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]).astype(np.intp)
        contiguous = rows[-1] - rows[0] + 1 == len(rows)
        matrix = vectors[rows[0] : rows[-1] + 1] if contiguous else np.ascontiguousarray(vectors[rows])
        blocks[lang] = (matrix, owners[starts], starts)
    return blocks


@dataclass(frozen=True)
class Examples:
    """How close a question is to the example questions: each entry's closest, and the closest of those that
    nothing in the content answers."""

    per_entry: npt.NDArray[np.float32]
    """-1 for an entry without examples in the question's language."""
    outside: float
    any_language: npt.NDArray[np.float32]
    """Per entry, its closest example in any language (a paraphrase written in another is still one)."""
    probabilities: npt.NDArray[np.float32]
    """Per entry, how likely the question asks for it, by a classifier trained on every example."""


@dataclass(frozen=True)
class Similarities:
    """How close a question is to each entry: the similarity of the entry's closest sentence."""

    per_entry: npt.NDArray[np.float32]

    def standing(self, entry: int) -> float:
        """How many standard deviations the entry stands above the average entry for this question.

        A question the content does not answer is about as close to every item; one it answers stands out.
        """
        values = self.per_entry
        return float((values[entry] - values.mean()) / max(float(values.std()), 1e-6))


class SemanticIndex:
    """Sentence and example vectors per language; an entry's similarity is its best sentence's (or example's)."""

    def __init__(
        self,
        encoder: Encoder,
        entries: Sequence[Entry],
        cache_dir: Path | None,
        out_of_scope: Mapping[Language, Sequence[str]] | None = None,
    ) -> None:
        self._encoder = encoder
        self._recent: dict[str, Vector] = {}
        self._lock = threading.Lock()
        found = list(passages(entries))
        self._blocks = _blocks(found, embed_cached(encoder, [p.text for p in found], cache_dir))
        asked = list(examples(entries))
        outside = list(_outside(out_of_scope or {}))
        texts = [p.text for p in asked] + [text for _, text in outside]
        vectors = embed_cached(encoder, texts, cache_dir, queries=True)
        self._examples = _blocks(asked, vectors[: len(asked)])
        labels = np.array([p.entry for p in asked], dtype=np.intp)
        self._classifier = (
            ItemClassifier.fit_cached(vectors[: len(asked)], labels, len(entries), cache_dir) if asked else None
        )
        self._outside = {
            lang: vectors[len(asked) + np.array([i for i, (at, _) in enumerate(outside) if at == lang], dtype=np.intp)]
            for lang in {at for at, _ in outside}
        }
        encoder.query("warm-up")  # the first call maps the model in; pay for it now, not on a user's question
        self._size = len(entries)

    @property
    def encoder(self) -> Encoder:
        """The model the vectors come from."""
        return self._encoder

    @property
    def has_examples(self) -> bool:
        """True when some entry has example questions."""
        return self._classifier is not None

    def encode(self, question: str) -> Vector:
        """The question's vector (the costly step: some 10 ms; questions asked again come from memory)."""
        key = " ".join(question.split())
        with self._lock:  # the model keeps scratch buffers: one question at a time
            vector = self._recent.pop(key, None)
            if vector is None:
                vector = self._encoder.query(key)
                if len(self._recent) >= _RECENT_QUESTIONS:
                    del self._recent[next(iter(self._recent))]
            self._recent[key] = vector
            return vector

    def similarities(self, vector: Vector, langs: Sequence[str]) -> Similarities:
        """Per entry, the best similarity among its sentences in ``langs``."""
        return Similarities(_best(self._blocks, self._size, vector, langs))

    def examples(self, vector: Vector, langs: Sequence[str]) -> Examples:
        """Per entry, the best similarity among its example questions in ``langs``; and the best out-of-scope one."""
        outside = [float((self._outside[lang] @ vector).max()) for lang in langs if lang in self._outside]
        assert self._classifier is not None, "only with examples"
        per_language = {lang: _best(self._examples, self._size, vector, (lang,)) for lang in self._examples}
        asked_in = [per_language[lang] for lang in langs if lang in per_language]
        return Examples(
            np.max(asked_in, axis=0) if asked_in else np.full(self._size, -1.0, dtype=np.float32),
            max(outside, default=-1.0),
            np.max(list(per_language.values()), axis=0),
            self._classifier.probabilities(vector),
        )


def _best(blocks: Mapping[str, _Block], size: int, vector: Vector, langs: Sequence[str]) -> npt.NDArray[np.float32]:
    best = np.full(size, -1.0, dtype=np.float32)
    for lang in langs:
        if lang in blocks:
            matrix, owners, starts = blocks[lang]
            np.maximum.at(best, owners, np.maximum.reduceat(matrix @ vector, starts))
    return best
