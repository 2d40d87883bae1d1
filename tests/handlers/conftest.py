"""The answer engine as the bot runs it, and an app answering with it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.services.answers import Answerer
from tests.conftest import running_app


@pytest.fixture
async def answering_app(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, full_answerer: Answerer
) -> AsyncIterator[App]:
    """The whole application, answering with the full engine."""
    async with running_app(settings, clock, detector, full_answerer) as application:
        yield application
