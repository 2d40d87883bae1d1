"""Vectors of the content texts kept on disk, keyed by a hash of the model and the texts."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.core.disk_cache import cache_key, store
from bot.services.answers.e5.encoder import Encoder, Matrix

log = logging.getLogger(__name__)


def embed_cached(encoder: Encoder, texts: Sequence[str], cache_dir: Path | None, *, queries: bool = False) -> Matrix:
    """``encoder.passages(texts)`` (``encoder.queries`` with ``queries``), read from ``cache_dir`` when an earlier
    run stored them (None: no cache)."""
    embed = encoder.queries if queries else encoder.passages
    if cache_dir is None:
        return embed(texts)
    model = f"{encoder.name}/queries" if queries else encoder.name
    path = cache_dir / f"answers-{cache_key(model, texts)}.npy"
    try:
        stored = np.load(path)
        if stored.shape[0] == len(texts):
            return np.asarray(stored, dtype=np.float32)
    except (OSError, ValueError):
        pass
    log.info("embedding %d content texts (once per content version; cached in %s)", len(texts), cache_dir)
    vectors = embed(texts)
    store(lambda handle: np.save(handle, vectors), path)
    return vectors
