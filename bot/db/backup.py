"""A consistent copy of the embedded SQLite database while the bot runs, with SQLite's online backup API.

PostgreSQL has its own tool for this (``pg_dump``; the README shows it and how to restore either)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Final

from sqlalchemy.engine import make_url

PAGES_PER_STEP: Final = 256
"""Pages copied between two looks at the bot's writes: a write meanwhile makes the copy start over from
the changed pages, and the bot is never kept waiting for long."""


class BackupProblem(Exception):
    """The backup could not be made; the message says what to do."""


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the SQLite database of ``database_url`` into ``target`` (a new file; written under a temporary
    name and renamed once complete and checked); returns its size in bytes."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupProblem("DATABASE_URL is PostgreSQL: back it up with pg_dump (see the README's Backups)")
    source = Path(url.database or "")
    if not source.is_file():
        raise BackupProblem(f"no SQLite database at {source}: check DATABASE_URL")
    if target.exists():
        raise BackupProblem(f"{target} exists: name a new file")
    partial = target.with_name(f".{target.name}.partial")
    try:
        with (
            contextlib.closing(sqlite3.connect(source, timeout=30)) as reading,
            contextlib.closing(sqlite3.connect(partial)) as writing,
        ):
            reading.backup(writing, pages=PAGES_PER_STEP)
            writing.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            [(verdict,)] = writing.execute("PRAGMA integrity_check").fetchall()
        if verdict != "ok":
            raise BackupProblem(f"the copy failed its integrity check ({verdict}); try again")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
