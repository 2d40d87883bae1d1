"""Files derived from others once and kept for the next start: written atomically, the oldest versions dropped."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any, Final

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

KEPT_CACHES: Final = 6
"""Files of this many versions of each kind are kept (older ones are deleted)."""


def cache_key(maker: str, parts: Iterable[str]) -> str:
    """A hex digest naming exactly what ``maker`` makes of ``parts``."""
    digest = hashlib.sha256(maker.encode())
    for part in parts:
        digest.update(b"\x00")
        digest.update(part.encode())
    return digest.hexdigest()[:32]


def read_arrays(path: Path) -> dict[str, npt.NDArray[Any]] | None:
    """The arrays ``store_arrays`` stored at ``path``; None when there are none (or they cannot be read)."""
    try:
        with np.load(path) as stored:
            return {name: stored[name] for name in stored.files}
    except (OSError, ValueError):
        return None


def store_arrays(path: Path, arrays: Mapping[str, npt.NDArray[Any]]) -> None:
    """Store named arrays at ``path`` (an ``.npz`` file), as ``store`` does."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]  # numpy reads any keyword as a possible allow_pickle
    store(lambda handle: handle.write(buffer.getvalue()), path)


def store(write: Callable[[IO[bytes]], object], path: Path) -> None:
    """Write atomically (readers never see half a file), then drop all but the newest few of its kind (files
    named ``<kind>-<key><suffix>``). A cache that cannot be written is logged, not raised: it only costs time."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
            temporary = handle.name
            write(handle)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        temporary = None
        _drop_stale(path)
    except OSError as exc:
        log.warning("cannot cache %s in %s: %s", path.name, path.parent, exc)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def store_folder(write: Callable[[Path], object], path: Path) -> None:
    """As ``store``, for a folder of files: written beside, then renamed into place whole."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = tempfile.mkdtemp(dir=path.parent, suffix=".tmp")
        write(Path(temporary))
        os.chmod(temporary, 0o755)
        os.rename(temporary, path)  # fails when another process stored it first: theirs is as good
        temporary = None
        _drop_stale(path)
    except OSError as exc:
        log.warning("cannot cache %s in %s: %s", path.name, path.parent, exc)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _drop_stale(path: Path) -> None:
    """Delete all but the newest few files (or folders) of ``path``'s kind: named ``<kind>-<key><suffix>``."""
    kind = path.name.split("-", 1)[0]
    older = sorted(path.parent.glob(f"{kind}-*{path.suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in older[KEPT_CACHES:]:
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
