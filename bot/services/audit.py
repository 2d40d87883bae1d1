"""The audit log: who did what, and when, for every staff action."""

from __future__ import annotations

from typing import Any

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
