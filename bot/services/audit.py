"""The audit log: who did what, and when, for every staff action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEntry, User


class Audit:
    """Writes audit entries in the caller's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def record(self, actor: User, action: str, target: str, now: dt.datetime, **details: Any) -> None:
        """Note that ``actor`` did ``action`` to ``target``."""
        self._session.add(AuditEntry(actor_id=actor.id, action=action, target=target, details=details, at=now))
