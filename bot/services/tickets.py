"""What a confirmed place comes with: a calendar file with the venue and an alarm, and a QR ticket."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from typing import Final
from zoneinfo import ZoneInfo

from bot.core.content import Course, Tour
from bot.core.languages import Language
from bot.core.signing import signature, verified
from bot.services.offerings import first_occasion_ends, starts_at

CHECK_IN_PREFIX: Final = "checkin-"
TICKET_PATH: Final = "/t/"
SIGNATURE_LENGTH: Final = 11


def calendar_file(item: Tour | Course, uid: str, language: Language, zone: ZoneInfo) -> bytes:
    """An .ics file: the tour's day, or every class of the course, with the place and an alarm."""
    from icalendar import Alarm, Calendar, Event, vGeo  # imported when first needed: 3 MB a process otherwise

    event = Event()
    event.add("uid", uid)
    event.add("summary", item.title(language))
    event.add("description", item.summary(language))
    start, end = starts_at(item, zone), first_occasion_ends(item, zone)
    if isinstance(item, Tour):
        place = item.meeting_point
        warning = dt.timedelta(hours=2)
    else:
        place = item.venue
        until = dt.datetime.combine(item.ends, dt.time(23, 59), zone).astimezone(dt.UTC)
        days = [day[:2].upper() for day in item.weekdays]  # iCalendar's MO, TU, …
        event.add("rrule", {"freq": "weekly", "byday": days, "until": until})
        warning = dt.timedelta(hours=1)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("location", f"{place.name(language)}, {place.address(language)}")
    event.add("geo", vGeo((place.location.lat, place.location.lon)))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", item.title(language))
    alarm.add("trigger", -warning)
    event.add_component(alarm)
    calendar = Calendar()
    calendar.add("prodid", "-//HAUFO//haufo-bot//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def new_ticket_code(key: bytes) -> str:
    """A random, unguessable ticket code, signed with ``key`` so forged codes are refused unseen."""
    token = secrets.token_urlsafe(18)
    return f"{token}-{signature(token, key, SIGNATURE_LENGTH)}"


def signed(code: str, key: bytes) -> bool:
    """True when ``code`` carries a valid signature."""
    token, _sep, given = code.rpartition("-")
    return bool(token) and verified(token, given, key, SIGNATURE_LENGTH)


def ticket_link(code: str, *, web_url: str | None, bot_link: str | None) -> str:
    """What the QR code holds: the ticket's page on the bot's web server, which staff open from any phone
    (``/t/<code>``); where there is none, a deep link opening the bot for check-in; else the bare code."""
    if web_url:
        return f"{web_url}{TICKET_PATH}{code}"
    parameter = f"{CHECK_IN_PREFIX}{code}"
    return f"{bot_link}?start={parameter}" if bot_link else parameter


def ticket_image(link: str) -> bytes:
    """A ticket's QR code (holding ``link``) as a PNG image."""
    import segno  # imported when first needed

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
