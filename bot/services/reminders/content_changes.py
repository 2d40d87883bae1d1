"""Following the content: when staff move a tour, course or event in the content, the people concerned are
told ("🕒 New time …", naming the old one) and their reminders move with it."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.content import Content
from bot.db.models import ACTIVE_STATUSES, Offering, OutboxMessage, OutboxStatus, Registration, User
from bot.services.offerings import occasions, offering, schedule
from bot.services.outbox import Outbox
from bot.services.reminders.scheduling import EVENT_REMINDER, Reminders

TIME_CHANGED: Final = "time_changed"


class ContentChanges:
    """Compares the times in the content with those last seen, on one database session."""

    def __init__(
        self, session: AsyncSession, content: Content, clock: Clock, zone: ZoneInfo, reminders: Reminders
    ) -> None:
        self._session = session
        self._content = content
        self._clock = clock
        self._zone = zone
        self._reminders = reminders
        self._outbox = Outbox(session)

    async def follow(self) -> int:
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
            await self._reminders.cancel(registration)
            await self._reminders.schedule(registration)
            await self._tell_time_changed(user, f"registration:{registration.id}", offering_id, previous, starts)
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
            await self._reminders.remind_of_event(user, event_id, on=True)
            starts = occasions(self._content.events.get(event_id), self._zone)[0]
            await self._tell_time_changed(user, f"event:{event_id}", event_id, was, starts)
        return len(moved)

    async def _tell_time_changed(
        self, user: User, subject: str, item_id: str, previous: dt.datetime | None, starts: dt.datetime
    ) -> None:
        """Queue the notice, once per person and new time; it names the new time itself, so that a process
        still on the earlier content sends it right."""
        params = {"item": item_id, "previous": previous.isoformat() if previous else None, "now": starts.isoformat()}
        item = self._content.events.items.get(item_id) or offering(self._content, item_id)
        version = hashlib.sha256(schedule(item, self._zone).encode()).hexdigest()[:16]
        key = f"{TIME_CHANGED}:{subject}:{user.id}:{version}"
        await self._outbox.enqueue(user, TIME_CHANGED, params, due_at=self._clock.now(), dedup_key=key, subject=subject)
