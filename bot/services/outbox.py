"""The outbox, owner of every outbox row's state: pending → sending → sent / failed / skipped, or cancelled.

Messages the bot starts itself are a durable row first, sent later by the delivery job
(``bot/scheduling/delivery.py``), which changes a row's state only through the operations here. A session
that queued rows calls the ``WAKE`` callback in its ``info`` after it commits, with the earliest due time,
so the delivery job runs then instead of at its next routine check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, bindparam, delete, event, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.core.logs import redact
from bot.core.messages import Priority
from bot.db.models import OutboxMessage, OutboxStatus, User, UtcDateTime
from bot.db.repositories import dialect_insert
from bot.services.linking import Links

WAKE: Final = "outbox.wake"  # session.info key: called with the earliest due time queued, after commit
_QUEUED: Final = "outbox.queued"

Wake = Callable[[dt.datetime], None]
MAX_ERROR: Final = 500

MARK_SENT: Final = (
    update(OutboxMessage.__table__)  # type: ignore[arg-type]
    .where(OutboxMessage.__table__.c.id == bindparam("row"))
    .values(
        status=OutboxStatus.SENT, claimed_until=None, last_error=None,
        sent_at=bindparam("sent_at", type_=UtcDateTime()), platform_message_id=bindparam("message_id"),
    )
)  # fmt: skip


@dataclass(frozen=True)
class Claimed:
    """A row claimed for sending by this process."""

    id: int
    user_id: int
    channel: str
    template: str
    params: dict[str, Any]
    attempts: int
    priority: Priority
    due_at: dt.datetime


def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    """Due and pending, or claimed by a process whose lease ran out (it died while sending)."""
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until <= now),
    )


class Outbox:
    """Adds messages to the outbox in the caller's transaction, so they exist only if its work commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(
        self,
        user: User,
        template: str,
        params: dict[str, Any],
        *,
        due_at: dt.datetime,
        dedup_key: str,
        subject: str | None = None,
        expires_at: dt.datetime | None = None,
        bulk: bool = False,
    ) -> None:
        """Queue ``template`` for ``user``, to be sent at ``due_at`` and never after ``expires_at``; a ``bulk``
        message (one of a broadcast's copies) goes after every message due for one person.

        A second message with the same ``dedup_key`` is ignored, unless the first was cancelled: then it
        is queued again (a reminder switched off and on again). A web chat visitor who linked another app
        gets it there (``bot.services.linking``)."""
        user = await Links(self._session).recipient(user)
        values = {
            "user_id": user.id, "channel": user.channel, "template": template, "params": params, "due_at": due_at,
            "status": OutboxStatus.PENDING, "attempts": 0, "dedup_key": dedup_key, "subject": subject,
            "expires_at": expires_at, "priority": Priority.BULK if bulk else Priority.NOTICE,
        }  # fmt: skip
        statement = dialect_insert(self._session, OutboxMessage).values(**values)
        revived = {key: statement.excluded[key] for key in ("params", "due_at", "status", "attempts", "expires_at")}
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[OutboxMessage.dedup_key],
                set_=revived | {"last_error": None},
                where=OutboxMessage.status == OutboxStatus.CANCELLED,
            )
        )
        self._session.sync_session.info.setdefault(_QUEUED, []).append(due_at)

    async def cancel(self, subject: str, *, template: str | None = None, user_id: int | None = None) -> int:
        """Cancel the pending (or held) messages about ``subject`` (of one template or all, to one user or all);
        returns how many."""
        statement = update(OutboxMessage).where(
            OutboxMessage.subject == subject, OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.HELD])
        )
        if template is not None:
            statement = statement.where(OutboxMessage.template == template)
        if user_id is not None:
            statement = statement.where(OutboxMessage.user_id == user_id)
        result = await self._session.execute(statement.values(status=OutboxStatus.CANCELLED))
        return int(getattr(result, "rowcount", 0) or 0)

    async def hold(self, subject: str, template: str) -> int:
        """Keep the pending messages of ``template`` about ``subject`` back until released; returns how many."""
        return await self._move(subject, template, OutboxStatus.PENDING, OutboxStatus.HELD)

    async def release(self, subject: str, template: str) -> int:
        """Send the held messages of ``template`` about ``subject`` after all; returns how many."""
        released = await self._move(subject, template, OutboxStatus.HELD, OutboxStatus.PENDING)
        if released:
            self._session.sync_session.info.setdefault(_QUEUED, []).append(dt.datetime.now(dt.UTC))
        return released

    async def _move(self, subject: str, template: str, old: OutboxStatus, new: OutboxStatus) -> int:
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.subject == subject, OutboxMessage.template == template, OutboxMessage.status == old)
            .values(status=new)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def revise(self, subject: str, template: str, params: dict[str, Any]) -> int:
        """Give the pending messages of ``template`` about ``subject`` new parameters (a corrected text goes
        out to those not reached yet); returns how many."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.subject == subject, OutboxMessage.template == template,
                   OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.HELD]))
            .values(params=params)
        )  # fmt: skip
        return int(getattr(result, "rowcount", 0) or 0)

    async def delivered(self, subject: str, template: str) -> list[tuple[int, str]]:
        """``(user id, platform message id)`` of the messages of ``template`` about ``subject`` that were sent."""
        rows = await self._session.execute(
            select(OutboxMessage.user_id, OutboxMessage.platform_message_id).where(
                OutboxMessage.subject == subject, OutboxMessage.template == template,
                OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.platform_message_id.is_not(None),
            )
        )  # fmt: skip
        return [(int(user_id), str(message_id)) for user_id, message_id in rows.all()]

    async def forget(self, user_id: int) -> None:
        """Cancel every pending message to one user, and empty the parameters and errors of all their rows,
        sent ones too (a staff reply quotes the question): they asked to be forgotten."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.user_id == user_id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.CANCELLED)
        )
        await self._session.execute(
            update(OutboxMessage).where(OutboxMessage.user_id == user_id).values(params={}, last_error=None)
        )

    async def pending(self) -> int:
        """How many messages wait to be sent, due or not."""
        return int(await self._session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        ) or 0)  # fmt: skip

    async def oldest_due(self, now: dt.datetime) -> dt.datetime | None:
        """When the message waiting longest past its due time fell due (None: nothing is late)."""
        return await self._session.scalar(
            select(func.min(OutboxMessage.due_at)).where(
                OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now
            )
        )

    async def next_due(self) -> dt.datetime | None:
        """When the next row falls due (or a lease of a dead process runs out)."""
        pending = await self._session.scalar(
            select(func.min(OutboxMessage.due_at)).where(OutboxMessage.status == OutboxStatus.PENDING)
        )
        leased = await self._session.scalar(
            select(func.min(OutboxMessage.claimed_until)).where(OutboxMessage.status == OutboxStatus.SENDING)
        )
        return min((t for t in (pending, leased) if t is not None), default=None)

    async def claim(
        self, now: dt.datetime, channels: Collection[str], lease: dt.timedelta, limit: int
    ) -> list[Claimed]:
        """Skip rows past their expiry, then mark up to ``limit`` due rows of ``channels`` as being sent until
        ``now + lease``, so that no other process sends them: messages for one person first, then a
        broadcast's copies. On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets several processes claim side by
        side; on SQLite the first statement, a write, holds the database for the rest of the claim."""
        await self._session.execute(
            update(OutboxMessage)
            .where(_claimable(now), OutboxMessage.expires_at <= now)
            .values(status=OutboxStatus.SKIPPED, last_error="too late to be useful", claimed_until=None)
        )
        ids: list[int] = []
        for priority in (Priority.NOTICE, Priority.BULK):
            ids += await self._session.scalars(
                select(OutboxMessage.id)
                .where(_claimable(now), OutboxMessage.priority == priority, OutboxMessage.channel.in_(list(channels)))
                .order_by(OutboxMessage.due_at, OutboxMessage.id)
                .limit(limit - len(ids))
                .with_for_update(skip_locked=True)
            )
            if len(ids) >= limit:
                break
        if not ids:
            return []
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(status=OutboxStatus.SENDING, attempts=OutboxMessage.attempts + 1, claimed_until=now + lease)
        )
        rows = await self._session.execute(
            select(OutboxMessage.id, OutboxMessage.user_id, OutboxMessage.channel, OutboxMessage.template,
                   OutboxMessage.params, OutboxMessage.attempts, OutboxMessage.priority, OutboxMessage.due_at)
            .where(OutboxMessage.id.in_(ids))
            .order_by(OutboxMessage.priority, OutboxMessage.due_at, OutboxMessage.id)
        )  # fmt: skip
        return [
            Claimed(
                row.id,
                row.user_id,
                row.channel,
                row.template,
                row.params,
                row.attempts,
                Priority(row.priority),
                row.due_at,
            )
            for row in rows.all()
        ]

    async def mark_sent(self, confirmations: list[dict[str, Any]]) -> None:
        """Rows the platform accepted: ``{"row": id, "sent_at": moment, "message_id": id or None}`` each."""
        connection = await self._session.connection()
        await connection.execute(MARK_SENT, confirmations)

    async def fail(self, row_id: int, error: str) -> None:
        """A row that will not be sent: the platform refused it, or it could not be rendered."""
        await self._end(row_id, OutboxStatus.FAILED, error)

    async def skip(self, row_id: int, error: str) -> None:
        """A row not sent on purpose (its recipient blocked the bot)."""
        await self._end(row_id, OutboxStatus.SKIPPED, error)

    async def forget_finished_before(self, cutoff: dt.datetime) -> int:
        """Delete the rows sent, skipped, failed or cancelled that were due before ``cutoff``; returns how
        many. (A reminder switched back on after that is queued anew: its dedup key is free again.)"""
        finished = (OutboxStatus.SENT, OutboxStatus.SKIPPED, OutboxStatus.FAILED, OutboxStatus.CANCELLED)
        result = await self._session.execute(
            delete(OutboxMessage).where(OutboxMessage.status.in_(finished), OutboxMessage.due_at < cutoff)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def unclaim(self, row_id: int) -> None:
        """Hand a claimed row back unsent (its lease would have run out before a slot): pending again, the
        attempt not counted."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.PENDING, claimed_until=None, attempts=OutboxMessage.attempts - 1)
        )

    async def retry_at(self, row_id: int, due_at: dt.datetime, error: str) -> None:
        """A send that failed for now: pending again, due at ``due_at``."""
        await self._session.execute(
            update(OutboxMessage).where(OutboxMessage.id == row_id).values(
                status=OutboxStatus.PENDING, claimed_until=None, last_error=redact(error)[:MAX_ERROR], due_at=due_at,
            )
        )  # fmt: skip

    async def skip_everything_for(self, user_id: int, row_id: int, error: str) -> None:
        """The recipient of ``row_id`` cannot be reached: skip it and every message waiting for them."""
        await self._session.execute(
            update(OutboxMessage)
            .where(
                or_(
                    OutboxMessage.id == row_id,
                    and_(OutboxMessage.user_id == user_id, OutboxMessage.status == OutboxStatus.PENDING),
                )
            )
            .values(status=OutboxStatus.SKIPPED, claimed_until=None, last_error=redact(error)[:MAX_ERROR])
        )

    async def _end(self, row_id: int, status: OutboxStatus, error: str) -> None:
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(status=status, claimed_until=None, last_error=redact(error)[:MAX_ERROR])
        )


@event.listens_for(Session, "after_commit")
def _wake_delivery(session: Session) -> None:
    queued: list[dt.datetime] = session.info.pop(_QUEUED, [])
    wake: Wake | None = session.info.get(WAKE)
    if queued and wake is not None:
        wake(min(queued))


@event.listens_for(Session, "after_rollback")
def _forget_queued(session: Session) -> None:
    session.info.pop(_QUEUED, None)
