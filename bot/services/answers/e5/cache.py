"""Vectors of the content texts, and the e5 graph, kept on disk: keyed by a hash of what made them."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Final

import numpy as np

from bot.services.answers.e5.encoder import Encoder, Matrix

log = logging.getLogger(__name__)

KEPT_CACHES: Final = 6
"""Caches of this many content versions are kept (older ones are deleted): passages and example questions."""


def cache_key(model: str, texts: Sequence[str]) -> str:
    """A hex digest naming exactly these texts embedded by this model."""
    digest = hashlib.sha256(model.encode())
    for text in texts:
        digest.update(b"\x00")
        digest.update(text.encode())
    return digest.hexdigest()[:32]


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
    _store(lambda handle: np.save(handle, vectors), path)
    return vectors


def cached_bytes(path: Path, build: Callable[[], bytes]) -> bytes:
    """The bytes stored at ``path``, or ``build()``'s, stored there for the next start (the e5 graph)."""
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = build()
    _store(lambda handle: handle.write(data), path)
    return data


def _store(write: Callable[[IO[bytes]], object], path: Path) -> None:
    """Write atomically (readers never see half a file), then drop all but the newest few of its kind (files
    named ``<kind>-<key><suffix>``)."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
            temporary = handle.name
            write(handle)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        temporary = None
        kind = path.name.split("-", 1)[0]
        older = sorted(path.parent.glob(f"{kind}-*{path.suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in older[KEPT_CACHES:]:
            stale.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("cannot cache %s in %s: %s", path.name, path.parent, exc)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
