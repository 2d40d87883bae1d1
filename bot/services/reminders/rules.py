"""The reminder rules: when reminders go out for each kind of offering, from ``content/reminders.yaml``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final, Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.core.content import Course, Event, Tour
from bot.core.problems import Problem, validation_problems, yaml_problem
from bot.core.yaml_text import read_yaml

RULES_FILE: Final = "reminders.yaml"

Kind = Literal["tour", "course", "event"]


class ReminderRule(BaseModel):
    """One reminder: at a local clock time some days before, or some hours before."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,23}$")
    days_before: int | None = Field(default=None, ge=0, le=30)
    at: dt.time | None = None
    hours_before: float | None = Field(default=None, gt=0, le=72)
    every_class: bool = Field(default=False, description="courses: before each class, not only the first")
    ask_still_coming: bool = Field(default=False, description="with Yes and 'Cancel my place' buttons")
    with_venue: bool = Field(default=False, description="the meeting point or venue as a map pin")

    @model_validator(mode="after")
    def _one_way_of_timing(self) -> ReminderRule:
        by_day = self.days_before is not None and self.at is not None
        if by_day == (self.hours_before is not None) or (self.days_before is None) != (self.at is None):
            raise ValueError("give either days_before with at, or hours_before")
        return self

    def due(self, occasion: dt.datetime, zone: ZoneInfo) -> dt.datetime:
        """When the reminder of ``occasion`` goes out."""
        if self.hours_before is not None:
            return occasion - dt.timedelta(hours=self.hours_before)
        day = occasion.astimezone(zone).date() - dt.timedelta(days=self.days_before or 0)
        return dt.datetime.combine(day, self.at or dt.time(), zone)


class ReminderRules(BaseModel):
    """The reminders of each kind of offering."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    grace_hours: float = Field(default=2, gt=0, description="a reminder later than this is skipped")
    tour: tuple[ReminderRule, ...] = ()
    course: tuple[ReminderRule, ...] = ()
    event: tuple[ReminderRule, ...] = ()

    def of(self, kind: Kind) -> tuple[ReminderRule, ...]:
        """The rules of one kind of offering."""
        rules: tuple[ReminderRule, ...] = getattr(self, kind)
        return rules


DEFAULT_RULES: Final = ReminderRules(
    tour=(
        ReminderRule(name="day-before", days_before=1, at=dt.time(18), ask_still_coming=True),
        ReminderRule(name="departure", hours_before=2, with_venue=True),
    ),
    course=(
        ReminderRule(name="day-before", days_before=1, at=dt.time(18), ask_still_coming=True),
        ReminderRule(name="class", hours_before=3, every_class=True, with_venue=True),
    ),
    event=(ReminderRule(name="day-before", days_before=1, at=dt.time(18)),),
)


def load_rules(content_dir: Path) -> ReminderRules:
    """The rules in ``reminders.yaml`` of the content, or the defaults when there is none."""
    path = content_dir / RULES_FILE
    if not path.exists():
        return DEFAULT_RULES
    return ReminderRules.model_validate(read_yaml(path.read_text(encoding="utf-8")) or {})


def rule_problems(content_dir: Path) -> list[Problem]:
    """What is wrong in ``reminders.yaml`` (nothing when it is valid or absent)."""
    try:
        load_rules(content_dir)
    except yaml.YAMLError as exc:
        return [yaml_problem(RULES_FILE, exc)]
    except ValidationError as exc:
        return validation_problems(RULES_FILE, exc)
    return []


def kind_of(item: Tour | Course | Event) -> Kind:
    """Which rules apply to the item."""
    return "tour" if isinstance(item, Tour) else "course" if isinstance(item, Course) else "event"
