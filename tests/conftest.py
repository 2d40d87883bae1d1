"""Shared fixtures: an application on a temporary SQLite database with the sample content."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, build_app
from bot.config import PROJECT_ROOT, Settings
from bot.core.clock import FakeClock
from bot.core.content import Content, load_content
from bot.core.detection import LanguageDetector
from bot.core.i18n import Catalogs
from bot.db.engine import create_engine
from bot.db.migrate import upgrade_database
from bot.services.answers import Answerer
from tests.chat import Chat
from tests.fake_bot_api.runner import running
from tests.fake_bot_api.server import FakeBotApi

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def content() -> Content:
    """The content the bot ships with."""
    return load_content(PROJECT_ROOT / "content")


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    """The interface catalogs, compiled once."""
    return Catalogs(PROJECT_ROOT / "locales", ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(scope="session")
def detector() -> LanguageDetector:
    """The language detector, loaded once (it takes a second)."""
    return LanguageDetector()


POSTGRES_SERVER = os.environ.get("TEST_POSTGRES_URL")
DATABASES = ("sqlite", "postgresql") if POSTGRES_SERVER or os.environ.get("CI") else ("sqlite",)
"""Every test that uses a database runs on each of these: SQLite, and PostgreSQL when TEST_POSTGRES_URL
names a server (always in CI, where a missing server fails the run)."""


def _postgres_server() -> str:
    if not POSTGRES_SERVER:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL for these tests")
        pytest.skip("TEST_POSTGRES_URL is not set (see .ci/postgres.sh)")
    return POSTGRES_SERVER


async def _create_database(server: str, template: str | None = None) -> str:
    """A new database on ``server`` (a copy of ``template`` if given); its name."""
    name = f"haufo_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        copy = f' TEMPLATE "{template}"' if template else ""
        await connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    await admin.dispose()
    return name


async def _drop_database(server: str, name: str) -> None:
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


def _url(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(hide_password=False)


async def _migrated_template(server: str) -> str:
    name = await _create_database(server)
    engine = create_engine(_url(server, name))
    await upgrade_database(engine)
    await engine.dispose()
    return name


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    """A PostgreSQL database migrated once, copied for each test (much faster than migrating each)."""
    if not POSTGRES_SERVER:
        yield None
        return
    name = asyncio.run(_migrated_template(POSTGRES_SERVER))
    yield name
    asyncio.run(_drop_database(POSTGRES_SERVER, name))


async def _database(kind: str, tmp_path: Path, template: str | None) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        return
    server = _postgres_server()
    name = await _create_database(server, template)
    try:
        yield _url(server, name)
    finally:
        await _drop_database(server, name)


@pytest.fixture(params=DATABASES)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_template: str | None
) -> AsyncIterator[str]:
    """A database with the newest schema and no rows: a SQLite file, or a new PostgreSQL database on the
    server named by TEST_POSTGRES_URL."""
    async for url in _database(request.param, tmp_path, postgres_template):
        yield url


@pytest.fixture(params=DATABASES)
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database without any table, for the migrations themselves."""
    async for url in _database(request.param, tmp_path, None):
        yield url


postgresql_only = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
"""For what only shows with several connections writing at once: run the test on PostgreSQL alone."""


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for an isolated bot on a fresh database."""
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        content_dir=PROJECT_ROOT / "content",
        admins="test:admin",
        secret_key="test secret key",
        webhook_secret="test webhook secret",
        flood_burst=0,  # a test types faster than anyone: flood control has its own tests
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
def answerer(detector: LanguageDetector) -> Answerer:
    """The answering engine on the sample content, lexical only (fast); answer tests build their own."""
    return Answerer.build(load_content(PROJECT_ROOT / "content"), semantic=False, detector=detector)


@pytest.fixture
def clock() -> FakeClock:
    """A clock stopped at a fixed moment."""
    return FakeClock(NOW)


@pytest.fixture(scope="session")
def full_answerer() -> Answerer:
    """The engine as the bot runs it, with the semantic re-ranker when it is installed."""
    return Answerer.build(load_content(PROJECT_ROOT / "content"), cache_dir=PROJECT_ROOT / "data" / "cache")


@contextlib.asynccontextmanager
async def running_app(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> AsyncIterator[App]:
    """The whole application, migrated and wired, closed afterwards."""
    application = await build_app(settings, clock=clock, detector=detector, answerer=answerer)
    try:
        yield application
    finally:
        await application.close()


@pytest.fixture
async def app(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> AsyncIterator[App]:
    """The whole application, migrated and wired."""
    async with running_app(settings, clock, detector, answerer) as application:
        yield application


@pytest.fixture
async def second_app(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> AsyncIterator[App]:
    """A second process on the same database, with the same clock."""
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


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A copy of the sample content that a test may edit."""
    return Path(shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content"))


@pytest.fixture
async def editable_app(
    settings: Settings, content_dir: Path, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> AsyncIterator[App]:
    """The whole application on that copy."""
    async with running_app(settings.model_copy(update={"content_dir": content_dir}), clock, detector,
                           answerer) as application:  # fmt: skip
        yield application


def edit_content(content_dir: Path, old: str, new: str, file: str = "tours.yaml") -> None:
    """Replace the one occurrence of ``old`` in a content file, as staff editing it would."""
    path = content_dir / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
