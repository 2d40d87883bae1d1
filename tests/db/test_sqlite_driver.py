"""SQLite in the event loop's thread: the same transactions, the pragmas, and a pool that waits politely."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade_database
from bot.db.models import User
from bot.db.repositories import Users
from tests.conftest import NOW


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated SQLite file, named the way the settings name it."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await upgrade_database(engine)
    yield engine
    await engine.dispose()


async def _add_user(session: AsyncSession, external_id: str) -> None:
    await Users(session).load_or_create(
        "telegram", external_id, display_name=None, seen_language=None, now=NOW, admin=False
    )


async def test_statements_run_in_the_event_loops_thread(engine: AsyncEngine) -> None:
    def record_thread(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function("thread_id", 0, threading.get_ident)

    await engine.dispose()
    event.listen(engine.sync_engine, "connect", record_thread)
    threads = threading.active_count()
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT thread_id()")) == threading.get_ident()
        assert (await connection.exec_driver_sql("SELECT 1 + 1")).scalar() == 2
    assert engine.dialect.driver == "inloop"
    assert threading.active_count() == threads


async def test_the_pragmas_hold(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert await connection.scalar(text("PRAGMA synchronous")) == 1  # NORMAL


async def test_a_session_commits_or_rolls_back_as_a_whole(engine: AsyncEngine) -> None:
    sessions = create_sessionmaker(engine)
    async with sessions() as session, session.begin():
        await _add_user(session, "1")

    async def failing() -> None:
        async with sessions() as session, session.begin():
            await _add_user(session, "2")
            raise RuntimeError("the handler failed")

    with pytest.raises(RuntimeError):
        await failing()
    other = create_engine(str(engine.url))  # another connection sees what was committed, only that
    try:
        async with create_sessionmaker(other)() as session:
            assert list(await session.scalars(select(User.external_id))) == ["1"]
    finally:
        await other.dispose()


async def test_a_session_waiting_for_the_connection_does_not_hold_up_the_loop(engine: AsyncEngine) -> None:
    sessions = create_sessionmaker(engine)
    holding, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with sessions() as session, session.begin():
            await _add_user(session, "1")
            holding.set()
            await release.wait()

    async def second() -> list[str]:
        await holding.wait()
        async with sessions() as session:
            return list(await session.scalars(select(User.external_id)))

    tasks = [asyncio.create_task(first()), asyncio.create_task(second())]
    await holding.wait()
    for _ in range(20):  # the loop keeps turning while the second session waits for the only connection
        await asyncio.sleep(0)
    assert not tasks[1].done()
    release.set()
    await asyncio.gather(*tasks)
    assert tasks[1].result() == ["1"]  # it ran after the first committed


async def test_many_concurrent_sessions_all_finish(engine: AsyncEngine) -> None:
    sessions = create_sessionmaker(engine)

    async def add(index: int) -> None:
        async with sessions() as session, session.begin():
            await asyncio.sleep(0)
            await _add_user(session, str(index))
            await asyncio.sleep(0)

    await asyncio.gather(*(add(index) for index in range(200)))
    async with sessions() as session:
        assert len(list(await session.scalars(select(User.id)))) == 200
