"""The days of the week as the content writes them (``mon`` … ``sun``), in Python's order."""

from __future__ import annotations

from typing import Final, Literal, get_args

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: Final[tuple[Weekday, ...]] = get_args(Weekday)


def weekday_index(day: Weekday | str) -> int:
    """0 for Monday, as ``datetime.date.weekday()`` counts."""
    return WEEKDAYS.index(day)  # type: ignore[arg-type,unused-ignore]
