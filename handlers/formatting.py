"""Shared pieces of cards: dates with their lunar date near Tết, places as venues, site names."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_interval
from babel.lists import format_list
from babel.units import format_unit

from bot.core.content import Content, Place
from bot.core.i18n import Locale, _
from bot.core.languages import Language
from bot.core.lunar import lunar_day_near_tet
from bot.core.messages import Button, Venue, make_payload


def day_with_lunar(locale: Locale, day: dt.date) -> str:
    """The full date, followed by the lunar date when it falls in the Tết season."""
    text = locale.date(day)
    lunar = lunar_day_near_tet(day)
    if lunar is not None:
        text += " (" + _("{day}/{month} lunar calendar", day=lunar.day, month=lunar.month) + ")"
    return text


def time_range(locale: Locale, start: dt.datetime, end: dt.datetime | None) -> str:
    """``19:30–21:30`` in the reader's locale."""
    if end is None:
        return locale.time(start)
    return str(format_interval(start.time(), end.time(), skeleton="Hm", locale=locale.babel))


def date_range(locale: Locale, start: dt.date, end: dt.date) -> str:
    """``2 Mar – 24 Jun 2027`` in the reader's locale."""
    return str(format_interval(start, end, skeleton="yMMMd", locale=locale.babel))


def joined(locale: Locale, items: list[str]) -> str:
    """``a, b and c`` in the reader's language."""
    return str(format_list(items, locale=locale.babel)) if items else ""


def venue(locale: Locale, place: Place) -> Venue:
    """A place as a venue to show on a map."""
    return Venue(
        title=place.name(locale.language),
        address=place.address(locale.language),
        latitude=place.location.lat,
        longitude=place.location.lon,
        map_url=place.location.map_url,
    )


def site_buttons(locale: Locale, content: Content, site_ids: list[str]) -> list[tuple[Button, ...]]:
    """One button per site, opening its card."""
    return [
        (Button("🏛 " + content.sites.get(site_id).name(locale.language), make_payload("site", site_id)),)
        for site_id in site_ids
    ]


def faq_text(content: Content, faq_id: str, lang: Language) -> str:
    """An FAQ entry as a card's text: its question, then its answer."""
    faq = content.faq.get(faq_id)
    return f"❓ {faq.question(lang)}\n\n{faq.answer(lang)}"


def elapsed(locale: Locale, seconds: float) -> str:
    """A time taken, to the tenth of a second: ``2 min, 14.5 sec`` in the reader's locale."""
    minutes, rest = divmod(round(seconds, 1), 60)
    parts = [format_unit(int(minutes), "duration-minute", length="short", locale=locale.babel)] if minutes else []
    parts.append(format_unit(round(rest, 1), "duration-second", length="short", locale=locale.babel))
    return str(format_list(parts, style="unit-short", locale=locale.babel))
