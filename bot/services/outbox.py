"""Queueing messages the bot starts itself: a durable row first, sent later by the delivery job.

A session that queued rows calls the ``WAKE`` callback in its ``info`` after it commits, with the earliest
due time, so the delivery job runs then instead of at its next routine check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Final

from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.db.models import OutboxMessage, OutboxStatus, User
from bot.db.repositories import dialect_insert

WAKE: Final = "outbox.wake"  # session.info key: called with the earliest due time queued, after commit
_QUEUED: Final = "outbox.queued"

Wake = Callable[[dt.datetime], None]


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
    ) -> None:
        """Queue ``template`` for ``user``, to be sent at ``due_at`` and never after ``expires_at``.

        A second message with the same ``dedup_key`` is ignored, unless the first was cancelled: then it
        is queued again (a reminder switched off and on again)."""
        values = {
            "user_id": user.id, "channel": user.channel, "template": template, "params": params, "due_at": due_at,
            "status": OutboxStatus.PENDING, "attempts": 0, "dedup_key": dedup_key, "subject": subject,
            "expires_at": expires_at,
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
        """Cancel the pending messages about ``subject`` (of one template or all, to one user or all);
        returns how many."""
        statement = update(OutboxMessage).where(
            OutboxMessage.subject == subject, OutboxMessage.status == OutboxStatus.PENDING
        )
        if template is not None:
            statement = statement.where(OutboxMessage.template == template)
        if user_id is not None:
            statement = statement.where(OutboxMessage.user_id == user_id)
        result = await self._session.execute(statement.values(status=OutboxStatus.CANCELLED))
        return int(getattr(result, "rowcount", 0) or 0)


@event.listens_for(Session, "after_commit")
def _wake_delivery(session: Session) -> None:
    queued: list[dt.datetime] = session.info.pop(_QUEUED, [])
    wake: Wake | None = session.info.get(WAKE)
    if queued and wake is not None:
        wake(min(queued))


@event.listens_for(Session, "after_rollback")
def _forget_queued(session: Session) -> None:
    session.info.pop(_QUEUED, None)
