"""Which items a question names: a site, a tour (or a site it visits), a course level, an event."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import numpy as np
import numpy.typing as npt

from bot.core.content import Localized
from bot.core.languages import LANGUAGES
from bot.services.answers.ranking.entries import Entry
from bot.services.answers.text.stemming import stemmer
from bot.services.answers.text.tokens import terms


def _name_terms(names: Sequence[Localized]) -> set[str]:
    found: set[str] = set()
    for name in names:
        for lang in LANGUAGES:
            found.update(terms(name(lang), stem=stemmer(lang)))
    return found


class Mentions:
    """Name terms of every item but the FAQ, less those its siblings share ("Spring Friendship Tour 2027")."""

    def __init__(self, entries: Sequence[Entry], weight: Callable[[str], float]) -> None:
        names = [_name_terms((e.title, *e.aliases)) if e.kind != "faq" else set() for e in entries]
        self._names: list[frozenset[str]] = []
        for index, entry in enumerate(entries):
            shared: set[str] = set()
            for other, sibling in enumerate(entries):
                if other != index and sibling.kind == entry.kind:
                    shared |= names[other]
            self._names.append(frozenset(names[index] - shared))
        self._weight = weight

    def scores(self, query_terms: Collection[str]) -> npt.NDArray[np.float32]:
        """Per entry, the weight of its name terms found in the question (0 when it is not named)."""
        found = set(query_terms)
        return np.array([sum(self._weight(t) for t in found & names) for names in self._names], dtype=np.float32)
