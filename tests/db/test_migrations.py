"""Migrations build exactly the schema the models describe, run again harmlessly, go down and up again,
and processes starting at once on an empty database take turns."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from bot.db.engine import create_engine
from bot.db.migrate import alembic_config, upgrade_database
from bot.db.models import Base


async def test_migrations_match_the_models(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    await upgrade_database(engine)
    await upgrade_database(engine)
    async with engine.connect() as connection:
        diff = await connection.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
    await engine.dispose()
    assert diff == []


async def test_migrations_go_down_to_nothing_and_up_again(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    await upgrade_database(engine)
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "base"))
    async with engine.connect() as connection:
        left = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()) - {"alembic_version"})
    assert left == set()
    await upgrade_database(engine)
    async with engine.connect() as connection:
        diff = await connection.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
    await engine.dispose()
    assert diff == []


@pytest.mark.parametrize("empty_database_url", ["postgresql"], indirect=True)  # SQLite: one process
async def test_processes_starting_at_once_on_an_empty_database_take_turns(
    empty_database_url: str, tmp_path: Path
) -> None:
    engines = [create_engine(empty_database_url) for _ in range(3)]
    await asyncio.gather(*(upgrade_database(engine) for engine in engines))
    async with engines[0].connect() as connection:
        version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    for engine in engines:
        await engine.dispose()
    assert version == [alembic_head()]


async def test_sqlite_file_folder_is_created(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'm.db'}")
    await upgrade_database(engine)
    await engine.dispose()
    assert (tmp_path / "nested" / "m.db").exists()


def alembic_head() -> str:
    """The newest migration's revision."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head
