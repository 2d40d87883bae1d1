"""Sending a broadcast: one outbox row per recipient (unique per broadcast and person), rendered in the
recipient's language when it goes out, and its progress counted from those rows."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.db.models import Broadcast, OutboxMessage, OutboxStatus, User
from bot.services.audit import Audit
from bot.services.broadcasts.announcement import Announcement
from bot.services.broadcasts.audience import Audience, recipients
from bot.services.outbox import Outbox
from bot.services.people import reading_language

BROADCAST: Final = "broadcast"
CORRECTION: Final = "broadcast_correction"
WITHDRAWAL: Final = "broadcast_withdrawal"


@dataclass(frozen=True)
class Progress:
    """Where a broadcast's deliveries stand."""

    recipients: int
    sent: int
    blocked: int
    failed: int

    @property
    def remaining(self) -> int:
        """Deliveries not yet sent, refused or given up."""
        return self.recipients - self.sent - self.blocked - self.failed


def readers(people: Sequence[User]) -> Counter[str]:
    """How many of ``people`` read each language."""
    return Counter(reading_language(person.language, person.seen_language) for person in people)


class Broadcasts:
    """Broadcasts on one database session."""

    def __init__(self, session: AsyncSession, clock: Clock, audit: Audit | None = None) -> None:
        self._session = session
        self._clock = clock
        self._audit = audit

    async def audience(self, audience: Audience, *, urgent: bool, channels: Collection[str] | None) -> list[User]:
        """Who ``audience`` reaches now."""
        return await recipients(self._session, audience, urgent=urgent, channels=channels)

    async def send(
        self,
        announcement: Announcement,
        audience: Audience,
        *,
        urgent: bool,
        channels: Collection[str] | None,
        due_at: dt.datetime | None = None,
        by: User | None = None,
    ) -> Broadcast:
        """Queue ``announcement`` for everyone ``audience`` reaches, at ``due_at`` (now by default)."""
        now = self._clock.now()
        people = await self.audience(audience, urgent=urgent, channels=channels)
        broadcast = Broadcast(texts=dict(announcement.texts), button=announcement.button, audience=str(audience),
                              urgent=urgent, created_by=by.id if by else None, created_at=now,
                              due_at=due_at or now, recipients=len(people))  # fmt: skip
        self._session.add(broadcast)
        await self._session.flush()
        if by is not None and self._audit is not None:
            self._audit.record(by, "broadcast", f"broadcast:{broadcast.id}", audience=str(audience),
                               recipients=len(people), due_at=broadcast.due_at.isoformat())  # fmt: skip
        params = {"broadcast": broadcast.id, "texts": broadcast.texts, "button": broadcast.button}
        outbox = Outbox(self._session)
        for person in people:
            await outbox.enqueue(person, BROADCAST, params, due_at=broadcast.due_at,
                                 dedup_key=f"{BROADCAST}:{broadcast.id}:{person.id}",
                                 subject=f"{BROADCAST}:{broadcast.id}")  # fmt: skip
        return broadcast

    async def progress(self, broadcast: Broadcast) -> Progress:
        """How many deliveries were sent, refused (blocked), given up, and the rest."""
        rows = await self._session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.subject == f"{BROADCAST}:{broadcast.id}")
            .group_by(OutboxMessage.status)
        )
        counts = {str(status): int(count) for status, count in rows.all()}
        return Progress(
            recipients=broadcast.recipients,
            sent=counts.get(OutboxStatus.SENT, 0),
            blocked=counts.get(OutboxStatus.SKIPPED, 0),
            failed=counts.get(OutboxStatus.FAILED, 0) + counts.get(OutboxStatus.CANCELLED, 0),
        )

    async def scheduled(self) -> list[Broadcast]:
        """Broadcasts whose time has not come, with deliveries still waiting, soonest first."""
        subjects = await self._session.scalars(
            select(OutboxMessage.subject)
            .where(OutboxMessage.template == BROADCAST, OutboxMessage.status == OutboxStatus.PENDING)
            .distinct()
        )
        ids = [int(subject.rpartition(":")[2]) for subject in subjects.all() if subject]
        result = await self._session.scalars(
            select(Broadcast)
            .where(Broadcast.id.in_(ids), Broadcast.due_at > self._clock.now())
            .order_by(Broadcast.due_at)
        )
        return list(result.all())

    async def cancel(self, broadcast_id: int, by: User) -> int:
        """Cancel a broadcast's deliveries not sent yet; returns how many."""
        cancelled = await Outbox(self._session).cancel(f"{BROADCAST}:{broadcast_id}", template=BROADCAST)
        if cancelled and self._audit is not None:
            self._audit.record(by, "broadcast-cancel", f"broadcast:{broadcast_id}", deliveries=cancelled)
        return cancelled

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """A broadcast by id."""
        return await self._session.get(Broadcast, broadcast_id)

    async def recent(self, limit: int = 10) -> list[Broadcast]:
        """The latest broadcasts whose time has come, newest first."""
        result = await self._session.scalars(
            select(Broadcast).where(Broadcast.due_at <= self._clock.now()).order_by(Broadcast.id.desc()).limit(limit)
        )
        return list(result.all())

    async def correct(self, broadcast: Broadcast, language: str, text: str, by: User) -> int:
        """Correct one language's text: copies not sent yet go out corrected, and every delivered copy is
        edited where the platform can (a correction is sent where it cannot); returns the copies corrected."""
        broadcast.texts = {**broadcast.texts, language: text}
        subject, outbox = f"{BROADCAST}:{broadcast.id}", Outbox(self._session)
        params = {"broadcast": broadcast.id, "texts": broadcast.texts, "button": broadcast.button}
        await outbox.revise(subject, BROADCAST, params)
        version = hashlib.sha256(f"{language}:{text}".encode()).hexdigest()[:16]
        delivered = await outbox.delivered(subject, BROADCAST)
        for user_id, message_id in delivered:
            person = await self._session.get(User, user_id)
            if person is not None:
                await outbox.enqueue(person, CORRECTION, params | {"message_id": message_id}, due_at=self._clock.now(),
                                     dedup_key=f"{CORRECTION}:{broadcast.id}:{user_id}:{version}",
                                     subject=subject)  # fmt: skip
        if self._audit is not None:
            self._audit.record(by, "broadcast-correct", subject, language=language, copies=len(delivered))
        return len(delivered)

    async def withdraw(self, broadcast: Broadcast, by: User) -> int:
        """Withdraw a broadcast: copies not sent yet are cancelled, delivered copies deleted where the platform
        allows (a short notice is sent where it does not); returns the delivered copies withdrawn."""
        subject, outbox = f"{BROADCAST}:{broadcast.id}", Outbox(self._session)
        await outbox.cancel(subject, template=BROADCAST)
        await outbox.cancel(subject, template=CORRECTION)
        delivered = await outbox.delivered(subject, BROADCAST)
        for user_id, message_id in delivered:
            person = await self._session.get(User, user_id)
            if person is not None:
                await outbox.enqueue(person, WITHDRAWAL, {"broadcast": broadcast.id, "message_id": message_id},
                                     due_at=self._clock.now(), dedup_key=f"{WITHDRAWAL}:{broadcast.id}:{user_id}",
                                     subject=subject)  # fmt: skip
        if self._audit is not None:
            self._audit.record(by, "broadcast-withdraw", subject, copies=len(delivered))
        return len(delivered)
