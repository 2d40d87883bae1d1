"""The bot processes running from one data folder, so that ``haufo-bot content reload`` can reach them:
each ``haufo-bot run`` leaves a file named after its process id in ``DATA_DIR/run`` while it runs."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Final

FOLDER: Final = "run"
MARKS: Final = (b"haufo-bot\0run", b"-m\0bot\0run")
"""One of these is in the command line of a bot process (a process id can be reused after a crash)."""


@contextlib.contextmanager
def registered(data_dir: Path) -> Iterator[None]:
    """Mark this process as running from ``data_dir`` until the block ends."""
    folder = data_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    mark = folder / f"{os.getpid()}.pid"
    mark.write_text(f"{os.getpid()}\n", encoding="ascii")
    try:
        yield
    finally:
        mark.unlink(missing_ok=True)


def _ours(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or another user's
        return False
    proc = Path("/proc")
    if not proc.is_dir():  # no way to look: trust the mark
        return True
    try:
        cmdline = (proc / str(pid) / "cmdline").read_bytes()
    except OSError:
        return False
    return any(mark in cmdline for mark in MARKS)


def signal_running(data_dir: Path, sig: signal.Signals = signal.SIGHUP) -> int:
    """Send ``sig`` to every bot process running from ``data_dir``; returns how many. Marks left by a
    process that ended without removing its own are removed."""
    sent = 0
    for mark in sorted((data_dir / FOLDER).glob("*.pid")):
        pid = int(mark.stem) if mark.stem.isascii() and mark.stem.isdecimal() else 0
        if pid <= 0 or pid == os.getpid() or not _ours(pid):
            mark.unlink(missing_ok=True)
            continue
        os.kill(pid, sig)
        sent += 1
    return sent
