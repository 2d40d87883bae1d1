"""Interface strings through Babel gettext catalogs, and dates, times and money in the reader's locale.

The active locale is held per message in a ContextVar (never installed process-wide);
``_`` and ``ngettext`` translate into it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale as BabelLocale
from babel.dates import format_date, format_skeleton, format_timedelta, get_datetime_format, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.support import NullTranslations, Translations

from bot.core.languages import DEFAULT_LANGUAGE, LANGUAGES, Language
from bot.core.weekdays import weekday_index

DOMAIN = "messages"


@dataclass(frozen=True)
class Locale:
    """One reader's language: translations and CLDR formatting, in the display time zone."""

    language: Language
    catalogs: Catalogs

    @property
    def translations(self) -> NullTranslations:
        """The compiled catalog of this language."""
        return self.catalogs.translations(self.language)

    @property
    def timezone(self) -> ZoneInfo:
        """Where dates and times are shown."""
        return self.catalogs.timezone

    def switch(self, language: Language) -> Locale:
        """The locale of another language."""
        return self.catalogs.locale(language)

    @cached_property
    def babel(self) -> BabelLocale:
        """The CLDR locale."""
        return BabelLocale.parse(self.language)

    def gettext(self, message: str) -> str:
        """``message`` translated."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The plural form for ``n`` per the language's CLDR rules."""
        return self.translations.ngettext(singular, plural, n)

    def _aware(self, moment: dt.datetime) -> dt.datetime:
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=self.timezone)

    def date(self, day: dt.date, style: str = "full") -> str:
        """A date such as ``Saturday, 20 February 2027``."""
        return format_date(day, format=style, locale=self.babel)

    def time(self, moment: dt.datetime | dt.time) -> str:
        """A 24-hour clock time in the locale's CLDR pattern: ``07:30``, and ``7:30`` in Vietnamese and Japanese
        (the content writes its times the same way; a test checks)."""
        if isinstance(moment, dt.datetime):
            moment = self._aware(moment).astimezone(self.timezone).time()
        return str(format_skeleton("Hm", moment, locale=self.babel))

    def datetime(self, moment: dt.datetime) -> str:
        """A date and a clock time without seconds, in the display time zone: ``Feb 15, 2027, 17:00``."""
        local = self._aware(moment).astimezone(self.timezone)
        pattern = str(get_datetime_format("medium", locale=self.babel))
        return pattern.replace("{1}", self.date(local.date(), "medium")).replace("{0}", self.time(local))

    def duration(self, length: dt.timedelta) -> str:
        """A length of time as people say it, rounded: ``2 hours``, ``45 minutes``."""
        return str(format_timedelta(length, locale=self.babel))

    def money(self, amount_vnd: int) -> str:
        """An amount of Vietnamese đồng."""
        return format_currency(amount_vnd, "VND", locale=self.babel)

    def weekday(self, code: str) -> str:
        """The full name of a weekday given as ``mon`` … ``sun``."""
        return str(get_day_names("wide", locale=self.babel)[weekday_index(code)])


class Catalogs:
    """The compiled catalogs of every supported language, read from ``locales/``."""

    def __init__(self, directory: Path, timezone: ZoneInfo) -> None:
        self.timezone = timezone
        self._translations = {lang: self._compile(directory, lang) for lang in LANGUAGES}
        self._locales = {lang: Locale(lang, self) for lang in LANGUAGES}

    @staticmethod
    def _compile(directory: Path, lang: Language) -> NullTranslations:
        """Compile ``<lang>/LC_MESSAGES/messages.po`` in memory, so no stale .mo file can be used."""
        path = directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if lang == DEFAULT_LANGUAGE and not path.exists():
            return NullTranslations()
        with path.open("rb") as po:
            catalog = read_po(po, locale=lang, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(buffer, domain=DOMAIN)

    def translations(self, language: Language) -> NullTranslations:
        """The compiled catalog of ``language``."""
        return self._translations[language]

    def locale(self, language: Language) -> Locale:
        """The locale of ``language``."""
        return self._locales[language]


_current: ContextVar[Locale] = ContextVar("locale")


@contextmanager
def use_locale(locale: Locale) -> Iterator[Locale]:
    """Make ``locale`` the one ``_`` translates into, for the enclosed code only."""
    token = _current.set(locale)
    try:
        yield locale
    finally:
        _current.reset(token)


def current_locale() -> Locale:
    """The locale of the message being handled."""
    try:
        return _current.get()
    except LookupError:
        raise RuntimeError("no locale in use: call inside use_locale()") from None


def _(message: str, **values: Any) -> str:
    """Translate ``message`` into the current locale and fill ``{name}`` placeholders."""
    text = current_locale().gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
    """Translate the plural form for ``n``; ``{n}`` and other placeholders are filled."""
    return current_locale().ngettext(singular, plural, n).format(n=n, **values)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translate it later with ``_``."""
    return message
