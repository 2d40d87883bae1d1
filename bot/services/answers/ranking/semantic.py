"""The semantic index: every sentence of the content as an e5 vector, compared with the question's vector."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.core.languages import LANGUAGES, Language
from bot.services.answers.e5.cache import embed_cached
from bot.services.answers.e5.encoder import Encoder, Vector
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
    """Sentence vectors per language; an entry's similarity is its best sentence's."""

    def __init__(self, encoder: Encoder, entries: Sequence[Entry], cache_dir: Path | None) -> None:
        self._encoder = encoder
        self._recent: dict[str, Vector] = {}
        self._lock = threading.Lock()
        found = list(passages(entries))
        vectors = embed_cached(encoder, [p.text for p in found], cache_dir)
        encoder.query("warm-up")  # the first call maps the model in; pay for it now, not on a user's question
        self._size = len(entries)
        self._blocks: dict[str, tuple[npt.NDArray[np.float32], npt.NDArray[np.intp], npt.NDArray[np.intp]]] = {}
        for lang in {p.lang for p in found}:
            rows = np.array([i for i, p in enumerate(found) if p.lang == lang], dtype=np.intp)
            owners = np.array([found[i].entry for i in rows], dtype=np.intp)
            starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]).astype(np.intp)
            self._blocks[lang] = (np.ascontiguousarray(vectors[rows]), owners[starts], starts)

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
        best = np.full(self._size, -1.0, dtype=np.float32)
        for lang in langs:
            matrix, owners, starts = self._blocks[lang]
            np.maximum.at(best, owners, np.maximum.reduceat(matrix @ vector, starts))
        return Similarities(best)
