"""Shared fixtures: an application on a temporary SQLite database with the sample content."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.config import PROJECT_ROOT, Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from tests.chat import Chat

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def detector() -> LanguageDetector:
    """The language detector, loaded once (it takes a second)."""
    return LanguageDetector()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an isolated bot on a temporary SQLite file."""
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        content_dir=PROJECT_ROOT / "content",
        admins="test:admin",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def clock() -> FakeClock:
    """A clock stopped at a fixed moment."""
    return FakeClock(NOW)


@pytest.fixture
async def app(settings: Settings, clock: FakeClock, detector: LanguageDetector) -> AsyncIterator[App]:
    """The whole application, migrated and wired."""
    application = await build_app(settings, clock=clock, detector=detector)
    yield application
    await application.close()


@pytest.fixture
def chat(app: App) -> Chat:
    """A user with no platform language hint."""
    return Chat(app.dispatcher)
