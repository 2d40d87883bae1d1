"""Locks that several processes on one PostgreSQL database share, held until the transaction ends.

PostgreSQL advisory locks, named by a string (hashed to the 64-bit key PostgreSQL expects). On SQLite
there is one process and one writer, and every lock is granted at once."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Final

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

START_UP: Final = "haufo-bot:start-up"
"""Held while a process brings the schema up to date, and while it does its start-up work: processes
starting together take turns, and the later ones find the work done."""
LOCK_NOT_AVAILABLE: Final = "55P03"


class LockTimeout(Exception):
    """A lock was not granted within the wait allowed."""


def lock_key(name: str) -> int:
    """The signed 64-bit advisory lock key of ``name``, the same in every process."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _on_postgresql(executor: AsyncSession | AsyncConnection) -> bool:
    bind = executor.get_bind() if isinstance(executor, AsyncSession) else executor
    return bind.dialect.name == "postgresql"


async def hold(executor: AsyncSession | AsyncConnection, name: str, *, wait: dt.timedelta | None = None) -> None:
    """Wait for the lock ``name`` and hold it until this transaction ends; ``LockTimeout`` after ``wait``."""
    if not _on_postgresql(executor):
        return
    if wait is not None:
        milliseconds = max(1, int(wait.total_seconds() * 1000))
        await executor.execute(text(f"SET LOCAL lock_timeout = {milliseconds}"))
    try:
        await executor.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})
    except DBAPIError as exc:  # lock_timeout aborts the statement and the transaction
        if getattr(exc.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise LockTimeout(name) from None
        raise
    if wait is not None:
        await executor.execute(text("SET LOCAL lock_timeout = 0"))


async def try_hold(executor: AsyncSession | AsyncConnection, name: str) -> bool:
    """Take the lock ``name`` until this transaction ends if no one holds it; False if someone does."""
    if not _on_postgresql(executor):
        return True
    result = await executor.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_key(name)})
    return bool(result.scalar())
