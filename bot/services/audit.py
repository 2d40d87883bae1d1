"""The audit log: who did what, and when, for every staff action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.db.models import AuditEntry, User


class Audit:
    """Writes audit entries in the caller's transaction."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def record(self, actor: User, action: str, target: str, **details: Any) -> None:
        """Note that ``actor`` did ``action`` to ``target``, now."""
        self._session.add(
            AuditEntry(actor_id=actor.id, action=action, target=target, details=details, at=self._clock.now())
        )

    async def forget(self, targets: Collection[str]) -> None:
        """Empty the details of the entries about ``targets`` (``user:7``, ``registration:12``): a person
        asked to be forgotten; who did what, and when, stays."""
        if targets:
            await self._session.execute(update(AuditEntry).where(AuditEntry.target.in_(targets)).values(details={}))

    async def forget_before(self, cutoff: dt.datetime) -> int:
        """Delete the entries older than ``cutoff``; returns how many."""
        result = await self._session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
        return int(result.rowcount)  # type: ignore[attr-defined]
