"""Texts not yet translated: which language stands in for them, and noting that one did for the reader."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Final

from babel.lists import format_list

from bot.core.i18n import Locale, _
from bot.core.languages import LANGUAGES, NATIVE_NAMES, Language, parse_language
from bot.core.messages import Reply

REQUIRED: Final[tuple[Language, ...]] = ("vi", "en")
"""Every content text exists in these; the other languages may follow later."""
DEFAULT_FALLBACK: Final[tuple[Language, ...]] = ("en", "vi")

_fallback: list[Language] = list(DEFAULT_FALLBACK)
_stood_in: ContextVar[set[Language] | None] = ContextVar("stood_in", default=None)


def set_fallback_order(order: Sequence[Language]) -> None:
    """The languages shown, in this order, where a text lacks the reader's (from the settings, at start)."""
    missing = [lang for lang in REQUIRED if lang not in order]
    _fallback[:] = [*order, *missing]


def parse_fallback(text: str) -> tuple[Language, ...]:
    """``en,vi`` as languages; ValueError naming what is not one of the seven."""
    codes = [code.strip() for code in text.split(",") if code.strip()]
    unknown = [code for code in codes if parse_language(code) is None]
    if unknown or not codes:
        raise ValueError(f"unknown language codes {unknown or [text]}: use vi, en, fr, ru, zh, ja or ko")
    return tuple(lang for code in codes if (lang := parse_language(code)) is not None)


def fallback_order() -> tuple[Language, ...]:
    """The languages that stand in for a missing translation, first choice first."""
    return tuple(_fallback)


def stood_in(lang: Language) -> None:
    """Note that a text was shown in ``lang`` because the reader's was missing."""
    noted = _stood_in.get()
    if noted is not None:
        noted.add(lang)


@contextlib.contextmanager
def noting_stand_ins() -> Iterator[set[Language]]:
    """While it is open, collect the languages that stood in for missing translations."""
    noted: set[Language] = set()
    token = _stood_in.set(noted)
    try:
        yield noted
    finally:
        _stood_in.reset(token)


def with_stand_in_note(replies: list[Reply], noted: set[Language], locale: Locale) -> list[Reply]:
    """``replies`` with a line under the last one saying which language stood in for the reader's, if any."""
    if not noted or not replies:
        return replies
    names = [NATIVE_NAMES[lang] for lang in LANGUAGES if lang in noted]
    note = _("ⓘ Part of this text is not yet translated into your language and is shown in {language}.",
             language=str(format_list(names, locale=locale.babel)))  # fmt: skip
    last = replies[-1]
    return [*replies[:-1], dataclasses.replace(last, text=f"{last.text}\n\n{note}")]
