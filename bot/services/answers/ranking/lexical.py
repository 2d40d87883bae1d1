"""The lexical index: BM25 (bm25s) over every item's texts in all seven languages."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Final

import bm25s  # type: ignore[import-untyped, import-not-found, unused-ignore]
import numpy as np
import numpy.typing as npt

from bot.core.languages import LANGUAGES
from bot.services.answers.ranking.entries import Entry
from bot.services.answers.text.stemming import stemmer
from bot.services.answers.text.tokens import terms

K1: Final = 1.2
B: Final = 0.5
TITLE_REPEAT: Final = 3
"""A title counts this many times: naming an item is strong evidence."""


def entry_terms(entry: Entry) -> list[str]:
    """The terms of every text of ``entry`` and of its example questions in every language, its title repeated."""
    out: list[str] = []
    for lang in LANGUAGES:
        stem = stemmer(lang)
        for name, text in entry.texts(lang):
            found = terms(text, stem=stem)
            out.extend(found * TITLE_REPEAT if name in ("question", "title", "name") else found)
        for question in entry.asked.get(lang, ()):
            out.extend(terms(question, stem=stem))
    return out


class Vocabulary(Collection[str]):
    """The index's terms (the empty one bm25s keeps for padding left out)."""

    def __init__(self, ids: dict[str, int]) -> None:
        self._ids = ids

    def __contains__(self, term: object) -> bool:
        return bool(term) and term in self._ids

    def __iter__(self) -> Iterator[str]:
        return (term for term in self._ids if term)

    def __len__(self) -> int:
        return len(self._ids) - ("" in self._ids)


class LexicalIndex:
    """BM25 scores of a question's terms against each entry (one document per entry, all languages).

    bm25s keeps one sparse column per term (the entries it occurs in, and its weight there): which entries
    hold a term, and in how many it occurs, are read from the same column.
    """

    def __init__(self, bm25: bm25s.BM25) -> None:
        self._bm25 = bm25
        matrix = bm25.scores
        self._size = int(matrix["num_docs"])
        self._holders: npt.NDArray[np.integer] = matrix["indices"]
        self._starts: npt.NDArray[np.integer] = matrix["indptr"]
        self._ids: dict[str, int] = bm25.vocab_dict
        self.vocabulary = Vocabulary(self._ids)
        self.max_idf = float(np.log(1 + (self._size - 0.5) / 0.5))

    @classmethod
    def build(cls, documents: Sequence[list[str]]) -> LexicalIndex:
        """Index ``documents`` (each a list of terms)."""
        bm25 = bm25s.BM25(k1=K1, b=B)
        bm25.index([list(doc) for doc in documents], show_progress=False)
        return cls(bm25)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """The index ``save`` stored in ``folder``."""
        return cls(bm25s.BM25.load(str(folder), show_progress=False))

    def save(self, folder: Path) -> None:
        """Store the index in ``folder``."""
        self._bm25.save(str(folder), show_progress=False)

    def _column(self, term: str) -> npt.NDArray[np.integer]:
        """The entries ``term`` occurs in."""
        at = self._ids.get(term) if term else None
        if at is None:
            return self._holders[:0]
        return self._holders[self._starts[at] : self._starts[at + 1]]

    def document_frequency(self, term: str) -> int:
        """In how many documents ``term`` occurs."""
        return len(self._column(term))

    def holds(self, entry: int, term: str) -> bool:
        """True when ``term`` occurs in the entry's document."""
        return bool((self._column(term) == entry).any())

    def idf(self, term: str) -> float:
        """Inverse document frequency of ``term`` (BM25's Lucene variant); 0 for unknown terms."""
        df = self.document_frequency(term)
        if not df:
            return 0.0
        return float(np.log(1 + (self._size - df + 0.5) / (df + 0.5)))

    def scores(self, query_terms: Sequence[str]) -> npt.NDArray[np.float32]:
        """One BM25 score per document, in index order (zeros when no term is known)."""
        known = [t for t in query_terms if t in self.vocabulary]
        if not known:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
