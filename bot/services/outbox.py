"""Queueing messages the bot starts itself: a durable row first, sent later by the delivery loop."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import OutboxMessage, OutboxStatus, User
from bot.db.repositories import insert_ignoring_duplicates


class Outbox:
    """Adds messages to the outbox in the caller's transaction, so they exist only if its work commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(
        self, user: User, template: str, params: dict[str, Any], *, due_at: dt.datetime, dedup_key: str
    ) -> None:
        """Queue ``template`` for ``user``; a second message with the same ``dedup_key`` is ignored."""
        values = {
            "user_id": user.id, "channel": user.channel, "template": template, "params": params, "due_at": due_at,
            "status": OutboxStatus.PENDING, "attempts": 0, "dedup_key": dedup_key,
        }  # fmt: skip
        await self._session.execute(insert_ignoring_duplicates(self._session, OutboxMessage).values(**values))
