"""Shared fixtures: an application on a temporary SQLite database with the sample content."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, build_app
from bot.config import PROJECT_ROOT, Settings
from bot.core.clock import FakeClock
from bot.core.content import load_content
from bot.core.detection import LanguageDetector
from bot.services.answers import Answerer
from tests.chat import Chat
from tests.fake_bot_api.runner import running
from tests.fake_bot_api.server import FakeBotApi

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def detector() -> LanguageDetector:
    """The language detector, loaded once (it takes a second)."""
    return LanguageDetector()


@pytest.fixture(params=["sqlite"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database: a SQLite file, or (for tests parametrized with ``postgresql``) a new
    PostgreSQL database on the server named by TEST_POSTGRES_URL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        return
    server = os.environ.get("TEST_POSTGRES_URL")
    if not server:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL for these tests")
        pytest.skip("TEST_POSTGRES_URL is not set (see .ci/postgres.sh)")
    name = f"haufo_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


both_databases = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
"""Run a test on SQLite and on PostgreSQL."""


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for an isolated bot on a fresh database."""
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        content_dir=PROJECT_ROOT / "content",
        admins="test:admin",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
def answerer() -> Answerer:
    """The answering engine on the sample content, lexical only (fast); answer tests build their own."""
    return Answerer.build(load_content(PROJECT_ROOT / "content"), semantic=False)


@pytest.fixture
def clock() -> FakeClock:
    """A clock stopped at a fixed moment."""
    return FakeClock(NOW)


@pytest.fixture
async def app(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> AsyncIterator[App]:
    """The whole application, migrated and wired."""
    application = await build_app(settings, clock=clock, detector=detector, answerer=answerer)
    yield application
    await application.close()


@pytest.fixture
def fake() -> FakeBotApi:
    """The fake Bot API's state."""
    return FakeBotApi()


@pytest.fixture
def api_url(fake: FakeBotApi) -> Iterator[str]:
    """The fake Bot API served on 127.0.0.1."""
    with running(fake) as url:
        yield url


@pytest.fixture
def chat(app: App) -> Chat:
    """A user with no platform language hint."""
    return Chat(app.dispatcher)
