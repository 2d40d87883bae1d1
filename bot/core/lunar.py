"""Lunar dates around Tết, shown next to solar dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lunardate import LunarDate


@dataclass(frozen=True)
class LunarDay:
    """A day of the Vietnamese lunar calendar."""

    day: int
    month: int


def lunar_day_near_tet(day: dt.date) -> LunarDay | None:
    """The lunar date of ``day`` when it falls in the Tết season (from mid-12th to the end of the 1st
    lunar month); None otherwise."""
    lunar = LunarDate.from_solar_date(day.year, day.month, day.day)
    if lunar.is_leap_month:
        return None
    if lunar.month == 1 or (lunar.month == 12 and lunar.day >= 15):
        return LunarDay(day=int(lunar.day), month=int(lunar.month))
    return None
