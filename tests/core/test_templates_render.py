"""Every interface template, filled with every content item's real values in every language, reads cleanly:
no placeholder left, no doubled punctuation, no bracket inside a bracket, no English left in another script."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterator, Mapping
from typing import Final
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot.config import PROJECT_ROOT
from bot.core.content import Content, Course, Event, Place, Tour
from bot.core.i18n import Catalogs, Locale
from bot.core.languages import LANGUAGES, NATIVE_NAMES, Language

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DOUBLED: Final = re.compile(r"([.,;:!?。，、：；！？])\1")
NESTED: Final = re.compile(r"[)）][)）]|[(（][^)）]*[(（]")
LATIN_WORD: Final = re.compile(r"[A-Za-z]{4,}")
KEPT_IN_LATIN: Final = frozenset({"HAUFO", "Zalo", "Telegram", "XLSX", "Grab", "Google", "Maps", "YYYY", "YAML"})
"""Names (and formats: the date people type, the content files' YAML) written in Latin letters in every language."""
PLURAL_COUNTS: Final = (1, 2, 5, 21)


def _templates() -> list[str | tuple[str, str]]:
    with (PROJECT_ROOT / "locales" / "messages.pot").open("rb") as handle:
        return [m.id for m in read_po(handle) if m.id and "{" in (m.id if isinstance(m.id, str) else m.id[0])]


def _item_values(item: Tour | Course | Event, lang: Language, locale: Locale) -> dict[str, str]:
    """What a template says about ``item``: its title, its place, its dates, its fee."""
    place: Place = item.meeting_point if isinstance(item, Tour) else item.venue
    values = {"title": item.title(lang), "place": place.name(lang), "address": place.address(lang)}
    if isinstance(item, Tour | Course):
        values |= {"fee": locale.money(item.fee), "includes": item.fee_includes(lang),
                   "deadline": locale.datetime(item.registration_deadline)}  # fmt: skip
    day = item.date if isinstance(item, Tour) else item.starts if isinstance(item, Course) else item.starts.date()
    values |= {"date": locale.date(day), "previous": locale.datetime(dt.datetime.combine(day, dt.time(8), ZONE))}
    if isinstance(item, Tour):
        values["items"] = item.what_to_bring(lang)
    return values


def _renderings(template: str | tuple[str, str], lang: Language, locale: Locale, content: Content) -> Iterator[str]:
    """The template filled with each content item's values (and every plural count)."""
    common = {"time": locale.time(dt.time(7, 30)), "departure": locale.time(dt.time(7, 30)),
              "back": locale.time(dt.time(17, 30)), "left": locale.duration(dt.timedelta(hours=2)),
              "language": NATIVE_NAMES[lang], "phone": "+84 904 123 456", "name": "Nguyễn Thị Lan"}  # fmt: skip
    items: list[Tour | Course | Event] = [*content.tours.items.values(), *content.courses.items.values(),
                                          *content.events.items.values()]  # fmt: skip
    for item in items:
        values = common | _item_values(item, lang, locale)
        if isinstance(template, str):
            yield _fill(locale.gettext(template), values)
        else:
            for n in PLURAL_COUNTS:
                yield _fill(locale.ngettext(template[0], template[1], n), values | {"n": str(n)})


class _Values(dict[str, str]):
    """Real values where known; a plain word of the reader's script for the rest."""

    def __missing__(self, key: str) -> str:
        return "7"


def _fill(text: str, values: Mapping[str, str]) -> str:
    return string.Formatter().vformat(text, (), _Values(values))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_reads_cleanly_with_every_item(catalogs: Catalogs, content: Content, lang: Language) -> None:
    locale = catalogs.locale(lang)
    problems: set[tuple[str, str]] = set()
    for template in _templates():
        source = template if isinstance(template, str) else template[0]
        own = locale.gettext(source) if isinstance(template, str) else locale.ngettext(*template, 5)
        for text in _renderings(template, lang, locale, content):
            if "{" in text or "}" in text:
                problems.add((source, "placeholder left"))
            if (found := DOUBLED.search(text)) and found.group() not in own:
                problems.add((source, f"doubled {found.group()!r} in {text!r}"))
            if (found := NESTED.search(text)) and not NESTED.search(own):
                problems.add((source, f"nested brackets in {text!r}"))
    assert not sorted(problems), "\n".join(f"{source!r}: {problem}" for source, problem in sorted(problems))


@pytest.mark.parametrize("lang", ["vi", "ru", "zh", "ja", "ko"])
def test_no_english_is_left_in_another_language(catalogs: Catalogs, lang: Language) -> None:
    locale = catalogs.locale(lang)
    english = []
    for template in _templates():
        source = template if isinstance(template, str) else template[0]
        own = locale.gettext(source) if isinstance(template, str) else locale.ngettext(*template, 5)
        words = set(LATIN_WORD.findall(re.sub(r"\{\w+\}|/\w+|\S+@\S+|https?://\S+", " ", own)))
        english += [(source, w) for w in words - KEPT_IN_LATIN if w.lower() in source.lower() or lang != "vi"]
    assert not english, english
