"""Check-in at the meeting point: a ticket code (signed, so forged ones are refused unseen) checks in its
confirmed place once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.db.models import Registration, RegistrationStatus
from bot.services.tickets import signed


@dataclass(frozen=True)
class CheckIn:
    """What scanning a ticket found: no valid ticket, a ticket used before, or a fresh check-in."""

    registration: Registration | None
    earlier: dt.datetime | None = None
    """When the ticket had already been used, if it had."""


class CheckIns:
    """Tickets and check-in, on one database session."""

    def __init__(self, session: AsyncSession, clock: Clock, ticket_key: bytes) -> None:
        self._session = session
        self._clock = clock
        self._ticket_key = ticket_key

    async def ticket(self, code: str, *, lock: bool = False) -> Registration | None:
        """The confirmed place a ticket code belongs to (locked for a change with ``lock``); a forged code is
        refused unseen."""
        if not signed(code, self._ticket_key):
            return None
        statement = select(Registration).where(Registration.ticket_code == code)
        registration = (await self._session.scalars(statement.with_for_update() if lock else statement)).first()
        if registration is None or registration.status != RegistrationStatus.CONFIRMED:
            return None
        return registration

    async def check_in(self, code: str) -> CheckIn:
        """Check in the confirmed place a ticket code belongs to, once."""
        registration = await self.ticket(code, lock=True)
        if registration is None:
            return CheckIn(None)
        if registration.checked_in_at is not None:
            return CheckIn(registration, earlier=registration.checked_in_at)
        registration.checked_in_at = self._clock.now()
        return CheckIn(registration)
