"""Typo tolerance: a word the index does not know is read as the known words one edit away."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Final

from bot.services.answers.text.scripts import Script, script_of

_ALPHABETS: Final = (Script.LATIN, Script.CYRILLIC)
MIN_LENGTH: Final = 5
"""Shorter words have too many neighbours to guess from."""


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Speller:
    """Symmetric-deletion lookup (SymSpell) at edit distance one: a substitution, insertion, deletion or swap."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._known = frozenset(w for w in vocabulary if w.isalpha() and script_of(w[0]) in _ALPHABETS)
        index: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self._known):
            if len(word) >= MIN_LENGTH - 1:
                for variant in {word} | _deletions(word):
                    index[variant].append(word)
        self._index = {variant: tuple(words) for variant, words in index.items()}  # a tuple is a quarter of a set

    def __contains__(self, word: str) -> bool:
        return word in self._known

    def corrections(self, word: str) -> list[str]:
        """Known words one edit from ``word``; none if it is known, short or not alphabetic."""
        if word in self._known or len(word) < MIN_LENGTH or not word.isalpha():
            return []
        found: set[str] = set(self._index.get(word, ()))
        for variant in _deletions(word):
            found.update(self._index.get(variant, ()))
        return sorted(w for w in found if _one_edit(word, w))


def _one_edit(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ by one substitution, insertion, deletion or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
