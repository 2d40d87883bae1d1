"""Sending a broadcast: one outbox row per recipient (unique per broadcast and person), rendered in the
recipient's language when it goes out, and its progress counted from those rows."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Final

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
PROGRESS: Final = "broadcast_progress"
ACTIVE, PAUSED, STOPPED = "active", "paused", "stopped"
REPORTED_FOR: Final = dt.timedelta(days=2)
"""How long after its start a broadcast's progress is still reported to its sender."""


@dataclass(frozen=True)
class Progress:
    """Where a broadcast's deliveries stand."""

    recipients: int
    sent: int
    blocked: int
    failed: int
    stopped: int = 0
    held: int = 0

    @property
    def remaining(self) -> int:
        """Deliveries not yet sent, refused, given up or stopped (held ones included)."""
        return self.recipients - self.sent - self.blocked - self.failed - self.stopped


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
                                 subject=f"{BROADCAST}:{broadcast.id}", bulk=True)  # fmt: skip
        return broadcast

    async def progress(self, broadcast: Broadcast) -> Progress:
        """How many deliveries were sent, refused (blocked), given up, and the rest."""
        rows = await self._session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.subject == f"{BROADCAST}:{broadcast.id}", OutboxMessage.template == BROADCAST)
            .group_by(OutboxMessage.status)
        )
        counts = {str(status): int(count) for status, count in rows.all()}
        return Progress(
            recipients=broadcast.recipients,
            sent=counts.get(OutboxStatus.SENT, 0),
            blocked=counts.get(OutboxStatus.SKIPPED, 0),
            failed=counts.get(OutboxStatus.FAILED, 0),
            stopped=counts.get(OutboxStatus.CANCELLED, 0),
            held=counts.get(OutboxStatus.HELD, 0),
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
        params = {"broadcast": broadcast.id, "texts": broadcast.texts, "button": broadcast.button}
        await Outbox(self._session).revise(f"{BROADCAST}:{broadcast.id}", BROADCAST, params)
        version = hashlib.sha256(f"{language}:{text}".encode()).hexdigest()[:16]
        copies = await self._to_every_copy(broadcast, CORRECTION, params, version)
        self._record(by, "broadcast-correct", broadcast, language=language, copies=copies)
        return copies

    async def withdraw(self, broadcast: Broadcast, by: User) -> int:
        """Withdraw a broadcast: copies not sent yet are cancelled, delivered copies deleted where the platform
        allows (a short notice is sent where it does not); returns the delivered copies withdrawn."""
        subject, outbox = f"{BROADCAST}:{broadcast.id}", Outbox(self._session)
        await outbox.cancel(subject, template=BROADCAST)
        await outbox.cancel(subject, template=CORRECTION)
        copies = await self._to_every_copy(broadcast, WITHDRAWAL, {"broadcast": broadcast.id})
        self._record(by, "broadcast-withdraw", broadcast, copies=copies)
        return copies

    async def _to_every_copy(
        self, broadcast: Broadcast, template: str, params: dict[str, Any], version: str = ""
    ) -> int:
        """Queue ``template`` to everyone a copy of ``broadcast`` was delivered to, naming that copy's platform
        message id; returns how many copies there are."""
        subject, outbox = f"{BROADCAST}:{broadcast.id}", Outbox(self._session)
        copies = dict(await outbox.delivered(subject, BROADCAST))
        people = await self._session.scalars(select(User).where(User.id.in_(list(copies))))
        for person in people.all():
            key = f"{template}:{broadcast.id}:{person.id}:{version}"
            await outbox.enqueue(person, template, params | {"message_id": copies[person.id]},
                                 due_at=self._clock.now(), dedup_key=key, subject=subject, bulk=True)  # fmt: skip
        return len(copies)

    async def pause(self, broadcast: Broadcast, by: User) -> bool:
        """Hold the deliveries not sent yet; False when the broadcast is not running."""
        if broadcast.status != ACTIVE:
            return False
        broadcast.status = PAUSED
        await Outbox(self._session).hold(f"{BROADCAST}:{broadcast.id}", BROADCAST)
        self._record(by, "broadcast-pause", broadcast)
        return True

    async def resume(self, broadcast: Broadcast, by: User) -> bool:
        """Send the held deliveries after all; False when the broadcast is not paused."""
        if broadcast.status != PAUSED:
            return False
        broadcast.status = ACTIVE
        await Outbox(self._session).release(f"{BROADCAST}:{broadcast.id}", BROADCAST)
        self._record(by, "broadcast-resume", broadcast)
        return True

    async def stop(self, broadcast: Broadcast, by: User) -> int:
        """Stop sending: the deliveries not sent yet are cancelled; returns how many."""
        if broadcast.status == STOPPED:
            return 0
        broadcast.status = STOPPED
        stopped = await Outbox(self._session).cancel(f"{BROADCAST}:{broadcast.id}", template=BROADCAST)
        self._record(by, "broadcast-stop", broadcast, deliveries=stopped)
        return stopped

    async def report(self) -> int:
        """Queue a progress report to the sender of every broadcast under way whose figures moved; the first
        report is a message, the later ones edit it where the platform can. Returns how many were queued."""
        now = self._clock.now()
        started = await self._session.scalars(
            select(Broadcast).where(
                Broadcast.created_by.is_not(None), Broadcast.due_at <= now, Broadcast.due_at >= now - REPORTED_FOR
            )
        )
        outbox, queued = Outbox(self._session), 0
        for broadcast in started.all():
            sender = await self._session.get(User, broadcast.created_by)
            if sender is None:
                continue
            progress = await self.progress(broadcast)
            subject = f"{BROADCAST}:{broadcast.id}"
            first = next(iter(await outbox.delivered(subject, PROGRESS)), None)
            state = f"{progress.sent}:{progress.blocked}:{progress.failed}:{progress.stopped}:{broadcast.status}"
            params = {"broadcast": broadcast.id, "recipients": progress.recipients, "sent": progress.sent,
                      "blocked": progress.blocked, "failed": progress.failed, "stopped": progress.stopped,
                      "remaining": progress.remaining, "status": broadcast.status,
                      "started": broadcast.due_at.isoformat(), "at": now.isoformat(),
                      "edits": first[1] if first else None}  # fmt: skip
            if first is None and await self._reported(subject):
                continue  # the first report is still on its way: later ones edit it
            key = f"{PROGRESS}:{broadcast.id}:{state}"
            if await self._session.scalar(select(func.count()).where(OutboxMessage.dedup_key == key)):
                continue  # nothing moved since the last report
            await outbox.enqueue(sender, PROGRESS, params, due_at=now, dedup_key=key, subject=subject)
            queued += 1
        return queued

    async def _reported(self, subject: str) -> bool:
        """True when a progress report about ``subject`` was queued."""
        count = await self._session.scalar(
            select(func.count()).where(OutboxMessage.subject == subject, OutboxMessage.template == PROGRESS)
        )
        return bool(count)

    def _record(self, by: User, action: str, broadcast: Broadcast, **details: object) -> None:
        if self._audit is not None:
            self._audit.record(by, action, f"{BROADCAST}:{broadcast.id}", **details)
