"""Courses and tours as things with times: finding one by id, when it starts and ends, when its classes are."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.core.content import Content, Course, Event, Tour
from bot.core.problems import UnknownContent
from bot.core.weekdays import weekday_index


def offering(content: Content, offering_id: str) -> Tour | Course:
    """The tour or course with this id."""
    if offering_id in content.tours.items:
        return content.tours.get(offering_id)
    if offering_id in content.courses.items:
        return content.courses.get(offering_id)
    raise UnknownContent(f"no tour or course with id {offering_id!r}")


def class_times(course: Course, zone: ZoneInfo) -> list[dt.datetime]:
    """When each class of the course begins, first to last."""
    days = {weekday_index(day) for day in course.weekdays}
    time = dt.time.fromisoformat(course.class_time)
    count = (course.ends - course.starts).days + 1
    dates = (course.starts + dt.timedelta(days=n) for n in range(count))
    return [dt.datetime.combine(date, time, zone) for date in dates if date.weekday() in days]


def occasions(item: Tour | Course | Event, zone: ZoneInfo) -> list[dt.datetime]:
    """The moments people come to: the departure, every class, the event's start."""
    if isinstance(item, Tour):
        return [starts_at(item, zone)]
    if isinstance(item, Course):
        return class_times(item, zone) or [starts_at(item, zone)]
    return [item.starts.replace(tzinfo=zone) if item.starts.tzinfo is None else item.starts]


def starts_at(item: Tour | Course, zone: ZoneInfo) -> dt.datetime:
    """When the tour departs or the course begins."""
    if isinstance(item, Tour):
        return dt.datetime.combine(item.date, dt.time.fromisoformat(item.departure), zone)
    return dt.datetime.combine(item.starts, dt.time.fromisoformat(item.class_time), zone)


def ends_at(item: Tour | Course, zone: ZoneInfo) -> dt.datetime:
    """When the tour is back, or the last class is over."""
    if isinstance(item, Tour):
        return dt.datetime.combine(item.date, dt.time.fromisoformat(item.return_), zone)
    return class_ends(item, dt.datetime.combine(item.ends, dt.time.fromisoformat(item.class_time), zone))


def first_occasion_ends(item: Tour | Course, zone: ZoneInfo) -> dt.datetime:
    """When the tour is back, or the first class is over."""
    return ends_at(item, zone) if isinstance(item, Tour) else class_ends(item, starts_at(item, zone))


def class_ends(course: Course, start: dt.datetime) -> dt.datetime:
    """When a class of ``course`` that begins at ``start`` is over."""
    return start + dt.timedelta(minutes=course.class_minutes)


def schedule(item: Tour | Course | Event, zone: ZoneInfo) -> str:
    """Every time of the item in one short string: it differs exactly when the content changed a time."""
    times = occasions(item, zone)
    first, last = times[0].isoformat(timespec="minutes"), times[-1].isoformat(timespec="minutes")
    minutes = item.class_minutes if isinstance(item, Course) else 0
    days = ",".join(item.weekdays) if isinstance(item, Course) else ""
    return f"{first}|{last}|{len(times)}|{days}|{minutes}"
