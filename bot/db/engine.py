"""The database engine and sessions: SQLite under ./data/ by default, PostgreSQL in production.

SQLite runs in the event loop's thread (``bot.db.sqlite``), whatever driver its URL names."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Final

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.core.startup import StartupError
from bot.db.sqlite import in_loop

log = logging.getLogger(__name__)

RETRY_EVERY: Final = 5.0
"""Seconds between two tries to reach a database that does not answer."""
NOT_YET: Final = frozenset({"57P03", "53300"})
"""SQLSTATEs of a server that will answer soon: starting up or shutting down, too many connections."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: safe against crashes, no fsync per commit
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    """An async engine for ``url``; creates the folder of a SQLite file and turns on its foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # One connection: SQLite has one writer at a time, and sessions queuing for the connection are
        # much faster than connections retrying a locked database. Every session ends in a commit or a
        # rollback, so the pool need not roll back again on return.
        engine = create_async_engine(
            in_loop(parsed), pool_size=1, max_overflow=0, pool_timeout=60, pool_reset_on_return=None
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _unreachable(exc: Exception) -> bool:
    """The server is down or not ready yet (worth waiting for), not refusing us (worth saying so)."""
    cause = getattr(exc, "orig", None) or exc
    return isinstance(cause, OSError) or getattr(cause, "sqlstate", None) in NOT_YET


async def wait_for_database(engine: AsyncEngine, *, retry: bool, retry_every: float = RETRY_EVERY) -> None:
    """Return once the database answers. A server that is down or not ready: with ``retry``, one line
    says so and it is tried again every ``retry_every`` seconds; without, ``StartupError``. Refused
    credentials or an unknown database: ``StartupError`` at once."""
    where = f"{engine.url.get_backend_name()} at {engine.url.host or engine.url.database}"
    waiting = False
    while True:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (OSError, DBAPIError) as exc:
            reason = type(getattr(exc, "orig", None) or exc).__name__
            if not _unreachable(exc):
                raise StartupError(
                    f"The database {where} refused the connection ({reason}): check DATABASE_URL."
                ) from None
            if not retry:
                raise StartupError(f"Cannot reach the database {where} ({reason}): is it running?") from None
            if not waiting:
                log.error("cannot reach the database %s (%s); trying again every %.0f s", where, reason, retry_every)
                waiting = True
            await asyncio.sleep(retry_every)
            continue
        if waiting:
            log.info("the database %s answers again", where)
        return
