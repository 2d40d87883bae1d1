"""A linear classifier over e5 question vectors, trained on the example questions: which item a question asks for.

Softmax regression (one weight vector per item), fitted with Adam from zeros, so the same examples always give
the same classifier. It generalizes from the examples' wording better than their nearest neighbour does.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.core.disk_cache import read_arrays, store_arrays

TEMPERATURE: Final = 20.0
"""e5 similarities sit in a narrow band; this spreads them before the softmax."""
STEPS: Final = 200
RIDGE: Final = 1e-3
RATE: Final = 0.005

Floats = npt.NDArray[np.float32]


class ItemClassifier:
    """P(item | question vector) for the items that have example questions."""

    def __init__(self, weights: Floats, bias: Floats) -> None:
        self._weights = weights
        self._bias = bias

    @classmethod
    def fit(cls, vectors: Floats, labels: npt.NDArray[np.intp], size: int) -> ItemClassifier:
        """Train on ``vectors`` labelled with item indexes below ``size`` (about 0.1 s per 1,000 examples)."""
        x = vectors.astype(np.float32)
        weights = np.zeros((x.shape[1], size), dtype=np.float32)
        bias = np.zeros(size, dtype=np.float32)
        moment = np.zeros_like(weights)
        second = np.zeros_like(weights)
        rows = np.arange(len(labels))
        for step in range(1, STEPS + 1):
            error = _softmax(TEMPERATURE * (x @ weights) + bias)
            error[rows, labels] -= 1.0
            gradient = TEMPERATURE * (x.T @ error) / len(labels) + RIDGE * weights
            moment = (0.9 * moment + 0.1 * gradient).astype(np.float32)
            second = (0.999 * second + 0.001 * gradient**2).astype(np.float32)
            weights -= RATE * (moment / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
            bias -= 0.05 * error.mean(axis=0)
        return cls(weights, bias)

    @classmethod
    def fit_cached(
        cls, vectors: Floats, labels: npt.NDArray[np.intp], size: int, cache_dir: Path | None
    ) -> ItemClassifier:
        """``fit``, or the classifier an earlier start fitted on the same examples, read from ``cache_dir``."""
        if cache_dir is None:
            return cls.fit(vectors, labels, size)
        digest = hashlib.sha256(Path(__file__).read_bytes())
        parts = (np.ascontiguousarray(vectors, dtype=np.float32), labels.astype(np.int64), np.array([size]))
        for part in parts:
            digest.update(part.data)  # the buffer itself: no copy of the vectors
        path = cache_dir / f"classifier-{digest.hexdigest()[:32]}.npz"
        stored = read_arrays(path)
        if stored is not None and stored.keys() == {"weights", "bias"}:
            return cls(stored["weights"], stored["bias"])
        fitted = cls.fit(vectors, labels, size)
        store_arrays(path, {"weights": fitted._weights, "bias": fitted._bias})
        return fitted

    def probabilities(self, vector: Floats) -> Floats:
        """One probability per item for the question ``vector``."""
        return _softmax(TEMPERATURE * (vector @ self._weights) + self._bias)


def _softmax(logits: Floats) -> Floats:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    result: Floats = (exp / exp.sum(axis=-1, keepdims=True)).astype(np.float32)
    return result
