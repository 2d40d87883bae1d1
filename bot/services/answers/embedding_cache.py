"""Vectors of the content texts kept on disk, keyed by a hash of the model and the texts."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.services.answers.encoder import Encoder, Matrix

log = logging.getLogger(__name__)


def cache_key(model: str, texts: Sequence[str]) -> str:
    """A hex digest naming exactly these texts embedded by this model."""
    digest = hashlib.sha256(model.encode())
    for text in texts:
        digest.update(b"\x00")
        digest.update(text.encode())
    return digest.hexdigest()[:32]


def embed_cached(encoder: Encoder, texts: Sequence[str], cache_dir: Path | None) -> Matrix:
    """``encoder.passages(texts)``, read from ``cache_dir`` when an earlier run stored them (None: no cache)."""
    if cache_dir is None:
        return encoder.passages(texts)
    path = cache_dir / f"answers-{cache_key(encoder.name, texts)}.npy"
    try:
        stored = np.load(path)
        if stored.shape[0] == len(texts):
            return np.asarray(stored, dtype=np.float32)
    except (OSError, ValueError):
        pass
    vectors = encoder.passages(texts)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".tmp", delete=False) as handle:
            np.save(handle, vectors)
        os.replace(handle.name, path)
    except OSError as exc:
        log.warning("cannot cache answer embeddings in %s: %s", cache_dir, exc)
    return vectors
