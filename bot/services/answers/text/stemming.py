"""Snowball stems for English, French and Russian words (``sorties`` → ``sort``), when PyStemmer is installed."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Final, Protocol

from bot.core.languages import Language

_ALGORITHMS: Final[dict[Language, str]] = {"en": "english", "fr": "french", "ru": "russian"}


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...


@cache
def stemmer(lang: Language) -> Callable[[str], str] | None:
    """A function stemming one lowercase word of ``lang``; None for languages without stems or without PyStemmer."""
    algorithm = _ALGORITHMS.get(lang)
    if algorithm is None:
        return None
    try:
        module = importlib.import_module("Stemmer")
    except ImportError:
        return None
    instance: _Stemmer = module.Stemmer(algorithm)
    return lru_cache(maxsize=65536)(instance.stemWord)
