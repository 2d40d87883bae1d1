"""Typo tolerance: a word the index does not know is read as the known words one edit away."""

from __future__ import annotations

import bisect
import zlib
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.services.answers.text.scripts import Script, script_of

_ALPHABETS: Final = (Script.LATIN, Script.CYRILLIC)
MIN_LENGTH: Final = 5
"""Shorter words have too many neighbours to guess from."""
MAX_LENGTH: Final = 32
"""Longer "words" are no word a person typed (a pasted token, a flood): the deletions of one grow with the
square of its length, so they are not looked up at all."""


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _hashes(variants: Iterable[str]) -> npt.NDArray[np.uint32]:
    """CRC-32 of each variant: the same in every process (a collision only adds a candidate to check)."""
    return np.array([zlib.crc32(v.encode()) for v in variants], dtype=np.uint32)


class Speller:
    """Symmetric-deletion lookup (SymSpell) at edit distance one: a substitution, insertion, deletion or swap.

    Each known word is filed under itself and each of its one-letter deletions, as two sorted arrays (the
    variants' hashes, the words' numbers): 2 MB where a dictionary of strings took 10.
    """

    def __init__(self, known: Sequence[str], variants: npt.NDArray[np.uint32], owners: npt.NDArray[np.int32]) -> None:
        self.known = known
        """The words, sorted."""
        self.variants = variants
        self.owners = owners

    @classmethod
    def build(cls, vocabulary: Iterable[str]) -> Speller:
        """A speller for the alphabetic (Latin and Cyrillic) words of ``vocabulary``."""
        known = sorted({w for w in vocabulary if w.isalpha() and script_of(w[0]) in _ALPHABETS})
        variants: list[str] = []
        owners: list[int] = []
        for number, word in enumerate(known):
            if len(word) >= MIN_LENGTH - 1:
                filed = {word} | _deletions(word)
                variants.extend(filed)
                owners.extend([number] * len(filed))
        hashes = _hashes(variants)
        order = np.argsort(hashes, kind="stable")
        return cls(known, hashes[order], np.asarray(owners, dtype=np.int32)[order])

    def __contains__(self, word: str) -> bool:
        at = bisect.bisect_left(self.known, word)
        return at < len(self.known) and self.known[at] == word

    def corrections(self, word: str) -> list[str]:
        """Known words one edit from ``word``; none if it is known, too short or too long, or not alphabetic."""
        if not MIN_LENGTH <= len(word) <= MAX_LENGTH or not word.isalpha() or word in self:
            return []
        hashes = _hashes({word} | _deletions(word))
        starts = np.searchsorted(self.variants, hashes, side="left")
        ends = np.searchsorted(self.variants, hashes, side="right")
        found = {self.known[int(n)] for start, end in zip(starts, ends, strict=True) for n in self.owners[start:end]}
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
