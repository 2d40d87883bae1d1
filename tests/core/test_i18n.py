"""Catalogs: every interface string translated in all seven languages; CLDR plurals, dates and money."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Message
from babel.messages.plurals import get_plural

from bot.config import PROJECT_ROOT
from bot.core.extraction import extract_template, read_catalog
from bot.core.i18n import Catalogs, _, ngettext, use_locale
from bot.core.languages import LANGUAGES

LOCALES = PROJECT_ROOT / "locales"
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


@pytest.fixture(scope="module")
def template() -> list[Message]:
    return [message for message in extract_template() if message.id]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated(language: str, template: list[Message]) -> None:
    catalog = read_catalog(LOCALES, language)
    problems = []
    for message in template:
        key = _ids(message)[0]
        translated = catalog.get(message.id)
        if translated is None:
            problems.append(f"missing: {key!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        elif not all(_forms(translated)):
            problems.append(f"untranslated: {key!r}")
        else:
            wanted = {name for msgid in _ids(message) for name in PLACEHOLDER.findall(msgid)}
            for form in _forms(translated):
                if set(PLACEHOLDER.findall(form)) - wanted:
                    problems.append(f"unknown placeholder in {key!r}: {form!r}")
                if not {name for name in wanted if name != "n"} <= set(PLACEHOLDER.findall(form)):
                    problems.append(f"placeholder lost in {key!r}: {form!r}")
    assert not problems, f"{language}: " + "\n".join(problems)


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_are_not_english_copies(language: str, template: list[Message]) -> None:
    catalog = read_catalog(LOCALES, language)
    copies = [m.id for m in template if (t := catalog.get(m.id)) is not None and _forms(t)[0] == _ids(m)[0]]
    # Only strings with no words outside placeholders and commands may stay the same ("{site}: {km} km").
    worded = [c for c in copies if re.search(r"[A-Za-z]{3}", re.sub(r"\{\w*\}|/\w+", "", str(c)))]
    assert not worded, worded


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_follow_cldr(language: str) -> None:
    catalog = read_catalog(LOCALES, language)
    assert catalog.num_plurals == get_plural(language).num_plurals
    assert catalog.plural_expr == get_plural(language).plural_expr
    short = [m.id[0] for m in catalog if m.pluralizable and len(_forms(m)) != catalog.num_plurals]
    assert not short, f"{language}: plural strings without all {catalog.num_plurals} forms: {short}"


def test_french_counts_of_a_million_take_de() -> None:
    catalogs = Catalogs(LOCALES, ZoneInfo("Asia/Ho_Chi_Minh"))
    with use_locale(catalogs.locale("fr")):
        forms = [ngettext("{n} seat", "{n} seats", n).format(n=n) for n in (0, 1, 2, 1_000_000)]
    assert forms == ["0 place", "1 place", "2 places", "1000000 de places"]


def test_plural_choice_in_russian_and_english() -> None:
    catalogs = Catalogs(LOCALES, ZoneInfo("Asia/Ho_Chi_Minh"))
    with use_locale(catalogs.locale("ru")):
        forms = {ngettext("💺 {n} seat", "💺 {n} seats", n) for n in (1, 3, 5)}
    assert len(forms) == 3
    with use_locale(catalogs.locale("en")):
        assert ngettext("💺 {n} seat", "💺 {n} seats", 1) == "💺 1 seat"
        assert ngettext("💺 {n} seat", "💺 {n} seats", 40) == "💺 40 seats"


def test_dates_are_shown_in_hanoi_time_in_the_readers_locale() -> None:
    catalogs = Catalogs(LOCALES, ZoneInfo("Asia/Ho_Chi_Minh"))
    moment = dt.datetime(2027, 2, 20, 0, 30, tzinfo=dt.UTC)  # 07:30 in Hanoi
    assert catalogs.locale("vi").datetime(moment) == "7:30 20 thg 2, 2027"
    assert catalogs.locale("en").datetime(moment) == "Feb 20, 2027, 07:30"
    assert catalogs.locale("ko").time(moment) == "07:30"
    assert "2027" in catalogs.locale("ja").date(moment.date())
    assert catalogs.locale("fr").date(dt.date(2027, 2, 20)) == "samedi 20 février 2027"
    assert "₫" in catalogs.locale("vi").money(450_000)


def test_translation_needs_a_locale_in_use() -> None:
    with pytest.raises(RuntimeError, match="no locale in use"):
        _("Choose your language:")
