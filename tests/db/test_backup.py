"""``haufo-bot db backup``: a consistent copy of the SQLite database taken while the bot writes, on which
the bot starts with everything in it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import build_app
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.db.models import Registration, User
from bot.services.answers import Answerer
from tests.chat import Chat
from tests.handlers.test_registration import fill_tour

sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def backup(database_url: str, target: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "bot", "db", "backup", str(target)], env=env, capture_output=True,
                          text=True, timeout=120, cwd=target.parent)  # fmt: skip


@sqlite_only
async def test_a_backup_taken_while_the_bot_writes_starts_a_bot_with_everything_in_it(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer, tmp_path: Path
) -> None:
    app = await build_app(settings, clock=clock, detector=detector, answerer=answerer)
    target = tmp_path / "backup.db"
    try:
        await fill_tour(Chat(app.dispatcher, user_id="visitor"), "spring-2027-co-loa", "Claire Martin")
        writing = True

        async def keep_writing() -> int:
            written = 0
            while writing:
                await Chat(app.dispatcher, user_id=f"walker-{written}").send("/start")
                written += 1
            return written

        writer = asyncio.create_task(keep_writing())
        result = await asyncio.to_thread(backup, settings.database_url, target)
        writing = False
        assert await writer > 0, "the bot went on writing during the backup"
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"backed up to {target} (")
    finally:
        await app.close()

    restored = await build_app(settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{target}"}),
                               clock=clock, detector=detector, answerer=answerer)  # fmt: skip
    try:
        async with restored.sessions() as session:
            [registration] = (await session.scalars(select(Registration))).all()
            assert registration.details["name"] == "Claire Martin"
            assert await session.scalar(select(func.count()).select_from(User)) >= 2
        visitor = Chat(restored.dispatcher, user_id="visitor")
        await visitor.press_payload("my")
        assert "Cổ Loa" in visitor.text
    finally:
        await restored.close()


def test_a_backup_never_overwrites_and_postgresql_is_sent_to_pg_dump(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    database.write_bytes(b"")
    existing = tmp_path / "existing.db"
    existing.write_text("keep me")
    refused = backup(f"sqlite+aiosqlite:///{database}", existing)
    assert (refused.returncode, refused.stderr) == (1, f"haufo-bot db backup: {existing} exists: name a new file\n")
    assert existing.read_text() == "keep me"
    postgres = backup("postgresql+asyncpg://haufo:pw@127.0.0.1/haufo", tmp_path / "new.db")
    assert postgres.returncode == 1
    assert "pg_dump" in postgres.stderr and "pw" not in postgres.stderr
