"""Answering free-text questions in seven languages from the content: FAQ, events, courses, tours, sites."""

from __future__ import annotations

from bot.services.answers.answer import Answer
from bot.services.answers.answerer import Answerer

__all__ = ["Answer", "Answerer"]
