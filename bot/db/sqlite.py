"""SQLite for the async engine, called from the event loop itself instead of a worker thread.

aiosqlite runs every call (cursor, execute, fetch, close, commit) in a thread of its own and waits for
the answer: five to nine hand-offs per message, each costing far more than the call, which on a local
file in WAL mode takes microseconds. One process owns the file (several processes share PostgreSQL,
not SQLite) through one connection, so there is nothing to wait for but the disk. This dialect is
SQLAlchemy's own pysqlite dialect admitted to ``create_async_engine``: the same SQL, types and
transactions, and an asyncio-aware pool, so a session waiting for the connection yields to the loop.
The price: a statement holds the loop while it runs, so long scans belong in PostgreSQL."""

from __future__ import annotations

import sqlite3
from typing import Any, Final

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, ConnectArgsType
from sqlalchemy.engine.interfaces import DBAPICursor, ExecutionContext
from sqlalchemy.util import await_only

DRIVER: Final = "inloop"


async def _ran_in_asyncio() -> None:
    """Nothing; awaited once per statement so that SQLAlchemy's async engine sees an async driver (it
    refuses to run ``AsyncConnection.execute`` on one that never awaits). It does not yield to the loop."""


class _Cursor(sqlite3.Cursor):
    """A cursor as the async engine expects one."""

    async def _async_soft_close(self) -> None:
        """Nothing to do: the async engine lets an adapted cursor read its rows ahead before it closes, and
        this one reads from the file directly."""


class _Connection(sqlite3.Connection):
    """A connection whose cursors are ``_Cursor``."""

    def cursor(self, factory: Any = _Cursor) -> Any:
        """A new cursor."""
        return super().cursor(factory)


class InLoopSQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, run inside the event loop by the async engine."""

    driver = DRIVER
    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        """A pool whose waiting is asyncio's; one shared connection for an in-memory database."""
        return pool.AsyncAdaptedQueuePool if cls._is_url_file_db(url) else pool.StaticPool

    def create_connect_args(self, url: URL) -> ConnectArgsType:
        """pysqlite's arguments, with our connection class."""
        args, options = super().create_connect_args(url)
        return args, {**options, "factory": _Connection}

    def do_execute(
        self, cursor: DBAPICursor, statement: str, parameters: Any, context: ExecutionContext | None = None
    ) -> None:
        """Execute ``statement`` with ``parameters``."""
        await_only(_ran_in_asyncio())
        cursor.execute(statement, parameters)

    def do_execute_no_params(
        self, cursor: DBAPICursor, statement: str, context: ExecutionContext | None = None
    ) -> None:
        """Execute ``statement``."""
        await_only(_ran_in_asyncio())
        cursor.execute(statement)

    def do_executemany(
        self, cursor: DBAPICursor, statement: str, parameters: Any, context: ExecutionContext | None = None
    ) -> None:
        """Execute ``statement`` once per parameter set."""
        await_only(_ran_in_asyncio())
        cursor.executemany(statement, parameters)


def in_loop(url: URL) -> URL:
    """``url`` (any SQLite URL, such as ``sqlite+aiosqlite:///…``) served by this dialect."""
    return url.set(drivername=f"sqlite+{DRIVER}")


registry.register(f"sqlite.{DRIVER}", __name__, "InLoopSQLiteDialect")
