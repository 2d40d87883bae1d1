"""Fusing the signals into one ranking, and how sure the engine is of its first answer."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
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
SIGNALS: Final = ("sentences", "examples", "examples_any", "classifier", "lexical", "mention", "unnamed", "kind")
"""What the engine knows of each entry for a question (``Ranker.signals``, one column each)."""
FEATURES: Final = ("own", "anywhere", "standing", "named", "example", "beyond_outside", "lead")
"""What the confidence model reads about the first answer (``Ranker.features``)."""
WEIGHTS_FILE: Final = Path(__file__).with_name("weights.json")
"""Written by ``python -m bench.calibrate``: fitted on the example questions, fold by fold (see there)."""


@dataclass(frozen=True)
class Weights:
    """Fusion weights (one per signal) and the confidence model (a logistic over the features)."""

    fusion: tuple[float, ...]
    confidence: tuple[float, ...]
    bias: float

    @classmethod
    def load(cls, mode: str, path: Path = WEIGHTS_FILE) -> Weights:
        """The fitted weights of ``mode`` ("hybrid" or "lexical") from ``path``."""
        stored = json.loads(path.read_text(encoding="utf-8"))[mode]
        return cls(
            tuple(stored["fusion"][name] for name in SIGNALS),
            tuple(stored["confidence"][name] for name in FEATURES),
            float(stored["bias"]),
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
    """A weighted sum of the signals ranks the entries; a logistic over the first's features gives confidence."""

    def __init__(self, kinds: Sequence[str], index: LexicalIndex, weights: Weights) -> None:
        self._kinds = np.array(kinds)
        self._named_kind = np.array([kind in NAMED_KINDS for kind in kinds])
        self._index = index
        self._weights = weights

    def signals(self, evidence: Evidence) -> npt.NDArray[np.float32]:
        """One row per entry, one column per signal of ``SIGNALS``."""
        size = len(self._kinds)
        named = evidence.mentions >= NAMED_MIN
        zeros = np.zeros(size, dtype=np.float32)
        sentences = evidence.semantic.per_entry if evidence.semantic is not None else zeros
        examples = examples_any = classifier = zeros
        if evidence.examples is not None:
            examples = np.maximum(evidence.examples.per_entry, 0.0)
            examples_any = np.maximum(evidence.examples.any_language, 0.0)
            classifier = evidence.examples.probabilities
        kind = np.isin(self._kinds, list(evidence.kinds)) & named if evidence.kinds else zeros
        columns = (
            sentences,
            examples,
            examples_any,
            classifier,
            _share(evidence.lexical),
            _share(evidence.mentions),
            self._named_kind & ~named,
            kind,
        )
        return np.column_stack(columns).astype(np.float32)

    def fuse(self, evidence: Evidence) -> npt.NDArray[np.float32]:
        """One score per entry."""
        fused: npt.NDArray[np.float32] = self.signals(evidence) @ np.asarray(self._weights.fusion, dtype=np.float32)
        return fused

    def features(self, evidence: Evidence, scores: npt.NDArray[np.float32], order: Sequence[int]) -> tuple[float, ...]:
        """What the confidence model reads about the first answer, one value per name of ``FEATURES``."""
        top = order[0]
        own = coverage(evidence.concepts, self._index, top)
        anywhere = coverage(evidence.concepts, self._index)
        named = 1.0 if evidence.mentions[top] >= NAMED_MIN else 0.0
        if evidence.semantic is None:
            standing = math.log1p(float(evidence.lexical[top]))
        else:
            standing = evidence.semantic.standing(top)
        example = beyond = 0.0
        if evidence.examples is not None:
            example = float(evidence.examples.per_entry[top])
            beyond = example - evidence.examples.outside
        lead = float(scores[top] - scores[order[1]]) if len(order) > 1 else 0.0
        return (own, anywhere, standing, named, example, beyond, lead)

    def confidence(self, features: Sequence[float]) -> float:
        """How likely the first answer is right, from its features."""
        w = self._weights
        logit = w.bias + sum(a * x for a, x in zip(w.confidence, features, strict=True))
        return 1 / (1 + math.exp(-max(-50.0, min(50.0, logit))))

    def rank(self, evidence: Evidence) -> Ranking:
        """The entries in order, with the confidence in the first."""
        scores = self.fuse(evidence)
        order = tuple(int(i) for i in np.argsort(-scores, kind="stable"))
        features = self.features(evidence, scores, order)
        return Ranking(order, scores, features, self.confidence(features))
