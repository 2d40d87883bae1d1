"""Reminders: when they go out for each kind of offering, kept in step with registrations and the content.

Every reminder is an outbox row about a subject (``registration:42``, ``event:<id>``): created when a place
is confirmed or someone asks to be reminded of an event, cancelled with the place, and cancelled and
created anew when the content moves the time. Moments already past are never scheduled, and a row that
could not go out within ``grace_hours`` of its time (or before the occasion itself) is skipped, not sent
late."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.content import Content, Course, Event, Tour
from bot.db.models import ACTIVE_STATUSES, Offering, OutboxMessage, OutboxStatus, Registration, RegistrationStatus, User
from bot.services.offerings import occasions, offering, schedule
from bot.services.outbox import Outbox

RULES_FILE: Final = "reminders.yaml"
REMINDER: Final = "reminder"
EVENT_REMINDER: Final = "event_reminder"
TIME_CHANGED: Final = "time_changed"

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
    return ReminderRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def rule_problems(content_dir: Path) -> list[str]:
    """What is wrong in ``reminders.yaml``, as ``key: message`` lines (none when it is valid or absent)."""
    try:
        load_rules(content_dir)
    except yaml.YAMLError as exc:
        return [f"not valid YAML: {exc}"]
    except ValidationError as exc:
        return [f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()]
    return []


@dataclass(frozen=True)
class Moment:
    """One reminder to send: of which occasion, by which rule, when, and until when it is still useful."""

    rule: ReminderRule
    occasion: dt.datetime
    due: dt.datetime
    expires: dt.datetime


def kind_of(item: Tour | Course | Event) -> Kind:
    """Which rules apply to the item."""
    return "tour" if isinstance(item, Tour) else "course" if isinstance(item, Course) else "event"


class Reminders:
    """Scheduling and cancelling reminders, on one database session."""

    def __init__(
        self, session: AsyncSession, content: Content, clock: Clock, zone: ZoneInfo, rules: ReminderRules
    ) -> None:
        self._session = session
        self._content = content
        self._clock = clock
        self._zone = zone
        self._rules = rules
        self._outbox = Outbox(session)

    def moments(self, item: Tour | Course | Event) -> list[Moment]:
        """The reminders still ahead for ``item``; moments already past are left out (a late booking gets
        the two-hour reminder, not yesterday's)."""
        now, grace = self._clock.now(), dt.timedelta(hours=self._rules.grace_hours)
        times = occasions(item, self._zone)
        moments = []
        for rule in self._rules.of(kind_of(item)):
            for occasion in times if rule.every_class else times[:1]:
                due = rule.due(occasion, self._zone)
                if due > now:
                    moments.append(Moment(rule, occasion, due, min(occasion, due + grace)))
        return moments

    async def schedule(self, registration: Registration) -> int:
        """Queue the reminders of a confirmed place (none when the person switched them off)."""
        if registration.status != RegistrationStatus.CONFIRMED or not registration.reminders:
            return 0
        user = await self._session.get(User, registration.user_id)
        if user is None:
            return 0
        item = offering(self._content, registration.offering_id)
        moments = self.moments(item)
        for moment in moments:
            params = {"registration": registration.id, "offering": registration.offering_id}
            await self._queue(user, REMINDER, params, moment, f"registration:{registration.id}")
        return len(moments)

    async def cancel(self, registration: Registration) -> int:
        """Cancel the pending reminders of a registration."""
        return await self._outbox.cancel(f"registration:{registration.id}", template=REMINDER)

    async def switch(self, registration: Registration, on: bool) -> None:
        """Turn a registration's reminders on or off."""
        registration.reminders = on
        if on:
            await self.schedule(registration)
        else:
            await self.cancel(registration)

    async def remind_of_event(self, user: User, event_id: str, on: bool) -> int:
        """Remind ``user`` of an event (or stop); returns how many reminders are queued."""
        subject = f"event:{event_id}"
        await self._outbox.cancel(subject, template=EVENT_REMINDER, user_id=user.id)
        if not on:
            return 0
        moments = self.moments(self._content.events.get(event_id))
        for moment in moments:
            await self._queue(user, EVENT_REMINDER, {"event": event_id}, moment, subject)
        return len(moments)

    async def reminded_of_event(self, user: User, event_id: str) -> bool:
        """True when ``user`` has a reminder of the event still to come."""
        pending = await self._session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.subject == f"event:{event_id}", OutboxMessage.user_id == user.id,
                OutboxMessage.status == OutboxStatus.PENDING,
            ).limit(1)
        )  # fmt: skip
        return pending is not None

    async def _queue(self, user: User, template: str, params: dict[str, Any], moment: Moment, subject: str) -> None:
        occasion = moment.occasion.isoformat()
        params = params | {"occasion": occasion, "rule": moment.rule.name, "ask": moment.rule.ask_still_coming,
                           "venue": moment.rule.with_venue, "every_class": moment.rule.every_class}  # fmt: skip
        key = f"{template}:{subject}:{user.id}:{moment.rule.name}:{occasion}"
        await self._outbox.enqueue(
            user, template, params, due_at=moment.due, dedup_key=key, subject=subject, expires_at=moment.expires
        )

    async def follow_content(self) -> int:
        """After the content changed a time: tell the people concerned, and move their reminders. Returns
        how many people were told."""
        told = 0
        for offering_id in [*self._content.tours.ids(), *self._content.courses.ids()]:
            told += await self._follow_offering(offering_id)
        told += await self._follow_events()
        return told

    async def _follow_offering(self, offering_id: str) -> int:
        row = await self._session.get(Offering, offering_id)
        item = offering(self._content, offering_id)
        current, starts = schedule(item, self._zone), occasions(item, self._zone)[0]
        if row is None or row.schedule == current:
            return 0
        changed, previous = row.schedule is not None, row.starts_at
        row.schedule, row.starts_at = current, starts
        if not changed:
            return 0
        registrations = await self._session.scalars(
            select(Registration).where(
                Registration.offering_id == offering_id, Registration.status.in_(ACTIVE_STATUSES)
            )
        )
        told = 0
        for registration in registrations.all():
            user = await self._session.get(User, registration.user_id)
            if user is None:
                continue
            await self.cancel(registration)
            await self.schedule(registration)
            await self._tell_time_changed(user, f"registration:{registration.id}", offering_id, previous, current)
            told += 1
        return told

    async def _follow_events(self) -> int:
        pending = await self._session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.template == EVENT_REMINDER, OutboxMessage.status == OutboxStatus.PENDING
            )
        )
        moved: dict[tuple[int, str], dt.datetime] = {}
        for row in pending.all():
            event_id = row.params["event"]
            event = self._content.events.items.get(event_id)
            was = dt.datetime.fromisoformat(row.params["occasion"])
            if event is None or occasions(event, self._zone)[0] != was:
                moved[(row.user_id, event_id)] = was
        for (user_id, event_id), was in moved.items():
            user = await self._session.get(User, user_id)
            if user is None:
                continue
            if event_id not in self._content.events.items:
                await self._outbox.cancel(f"event:{event_id}", template=EVENT_REMINDER, user_id=user_id)
                continue
            await self.remind_of_event(user, event_id, on=True)
            current = schedule(self._content.events.get(event_id), self._zone)
            await self._tell_time_changed(user, f"event:{event_id}", event_id, was, current)
        return len(moved)

    async def _tell_time_changed(
        self, user: User, subject: str, item_id: str, previous: dt.datetime | None, current: str
    ) -> None:
        params = {"item": item_id, "previous": previous.isoformat() if previous else None}
        version = hashlib.sha256(current.encode()).hexdigest()[:16]
        key = f"{TIME_CHANGED}:{subject}:{user.id}:{version}"
        await self._outbox.enqueue(user, TIME_CHANGED, params, due_at=self._clock.now(), dedup_key=key, subject=subject)
