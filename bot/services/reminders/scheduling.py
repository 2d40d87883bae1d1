"""Scheduling reminders: queued when a place is confirmed or someone asks to be reminded of an event,
cancelled with the place. Moments already past are never scheduled, and a row that could not go out within
``grace_hours`` of its time (or before the occasion itself) is skipped, not sent late."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.content import Content, Course, Event, Tour
from bot.db.models import OutboxMessage, OutboxStatus, Registration, RegistrationStatus, User
from bot.services.offerings import occasions, offering
from bot.services.outbox import Outbox
from bot.services.reminders.rules import ReminderRule, ReminderRules, kind_of

REMINDER: Final = "reminder"
EVENT_REMINDER: Final = "event_reminder"


@dataclass(frozen=True)
class Moment:
    """One reminder to send: of which occasion, by which rule, when, and until when it is still useful."""

    rule: ReminderRule
    occasion: dt.datetime
    due: dt.datetime
    expires: dt.datetime


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
