"""The lexical index: BM25 (bm25s) over every item's texts in all seven languages."""

from __future__ import annotations

from collections.abc import Sequence
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


class LexicalIndex:
    """BM25 scores of a question's terms against each entry (one document per entry, all languages)."""

    def __init__(self, documents: Sequence[list[str]]) -> None:
        self._bm25 = bm25s.BM25(k1=K1, b=B)
        self._bm25.index([list(doc) for doc in documents], show_progress=False)
        self._size = len(documents)
        vocabulary: dict[str, int] = self._bm25.vocab_dict
        self.vocabulary: frozenset[str] = frozenset(t for t in vocabulary if t)
        self.documents: tuple[frozenset[str], ...] = tuple(frozenset(doc) for doc in documents)
        frequency: dict[str, int] = {}
        for doc in self.documents:
            for term in doc:
                frequency[term] = frequency.get(term, 0) + 1
        self._document_frequency = frequency
        self.max_idf = float(np.log(1 + (self._size - 0.5) / 0.5))

    def document_frequency(self, term: str) -> int:
        """In how many documents ``term`` occurs."""
        return self._document_frequency.get(term, 0)

    def idf(self, term: str) -> float:
        """Inverse document frequency of ``term`` (BM25's Lucene variant); 0 for unknown terms."""
        df = self._document_frequency.get(term, 0)
        if not df:
            return 0.0
        return float(np.log(1 + (self._size - df + 0.5) / (df + 0.5)))

    def scores(self, query_terms: Sequence[str]) -> npt.NDArray[np.float32]:
        """One BM25 score per document, in index order (zeros when no term is known)."""
        known = [t for t in query_terms if t in self.vocabulary]
        if not known:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
