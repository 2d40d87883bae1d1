"""Migrations build exactly the schema the models describe, and run again harmlessly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.db.engine import create_engine
from bot.db.migrate import upgrade_database
from bot.db.models import Base
from tests.conftest import both_databases


@both_databases
async def test_migrations_match_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade_database(engine)
    await upgrade_database(engine)
    async with engine.connect() as connection:
        diff = await connection.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
    await engine.dispose()
    assert diff == []


async def test_sqlite_file_folder_is_created(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'm.db'}")
    await upgrade_database(engine)
    await engine.dispose()
    assert (tmp_path / "nested" / "m.db").exists()
