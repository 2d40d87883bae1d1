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
    """Store the bytes ``write`` writes at ``path``, as ``_publish`` does."""

    def make(temporary: Path) -> None:
        with temporary.open("wb") as handle:
            write(handle)

    _publish(make, path, folder=False)


def store_folder(write: Callable[[Path], object], path: Path) -> None:
    """Store the files ``write`` puts in a folder at ``path``, as ``_publish`` does."""
    _publish(write, path, folder=True)


def _publish(make: Callable[[Path], object], path: Path, *, folder: bool) -> None:
    """Make the file (or folder) beside ``path`` under a temporary name, then move it into place whole (readers
    never see half of it), and drop all but the newest few of its kind. A cache that cannot be written is
    logged, not raised: it only costs time."""
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if folder:
            temporary = Path(tempfile.mkdtemp(dir=path.parent, suffix=".tmp"))
        else:
            handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            os.close(handle)
            temporary = Path(name)
        make(temporary)
        os.chmod(temporary, 0o755 if folder else 0o644)
        os.replace(temporary, path)  # a folder another process stored first stays: it is as good
        temporary = None
        _drop_stale(path)
    except OSError as exc:
        log.warning("cannot cache %s in %s: %s", path.name, path.parent, exc)
    finally:
        if temporary is not None:
            _remove(temporary)


def _drop_stale(path: Path) -> None:
    """Delete all but the newest few files (or folders) of ``path``'s kind: named ``<kind>-<key><suffix>``."""
    kind = path.name.split("-", 1)[0]
    older = sorted(path.parent.glob(f"{kind}-*{path.suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in older[KEPT_CACHES:]:
        _remove(stale)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
