"""A linear classifier over e5 question vectors, trained on the example questions: which item a question asks for.

Softmax regression (one weight vector per item), fitted with Adam from zeros, so the same examples always give
the same classifier. It generalizes from the examples' wording better than their nearest neighbour does.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

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

    def probabilities(self, vector: Floats) -> Floats:
        """One probability per item for the question ``vector``."""
        return _softmax(TEMPERATURE * (vector @ self._weights) + self._bias)


def _softmax(logits: Floats) -> Floats:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    result: Floats = (exp / exp.sum(axis=-1, keepdims=True)).astype(np.float32)
    return result
