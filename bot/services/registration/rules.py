"""The registration rules' settings and vocabulary: the offer window, the ticket key, what can go wrong,
and the status a place takes once its seats are taken."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.content import Course, Tour
from bot.db.models import Registration, RegistrationStatus
from bot.services.reminders import DEFAULT_RULES, ReminderRules
from bot.services.tickets import new_ticket_code

CONSENT_VERSION: Final = "2027-01"
DEFAULT_OFFER_WINDOW: Final = dt.timedelta(hours=24)
MIN_OFFER_WINDOW: Final = dt.timedelta(hours=1)


class RegistrationError(Exception):
    """A registration that cannot be made; the handler explains it to the user."""


class AlreadyRegistered(RegistrationError):
    """The user already has an active registration for this offering."""

    def __init__(self, registration: Registration) -> None:
        super().__init__(f"registration {registration.id} is active")
        self.registration = registration


class RegistrationClosed(RegistrationError):
    """The deadline has passed."""


@dataclass(frozen=True)
class Rules:
    """Settings of the registration rules; ``ticket_key`` signs tickets (``SECRET_KEY`` or the key file)."""

    ticket_key: bytes
    offer_window: dt.timedelta = DEFAULT_OFFER_WINDOW
    reminders: ReminderRules = DEFAULT_RULES


async def locked(session: AsyncSession, registration: Registration) -> None:
    """Re-read ``registration`` under a row lock, so that the status a change reads is still true when it
    writes: a user cancelling while staff reject the same place release its seats once (PostgreSQL; SQLite
    has one writer)."""
    await session.refresh(registration, with_for_update=True)


def hold(registration: Registration, item: Tour | Course, now: dt.datetime, ticket_key: bytes) -> None:
    """Seats are taken: the place is confirmed (with a ticket), or pending when staff approve the course."""
    approval = isinstance(item, Course) and item.approval
    registration.status = RegistrationStatus.PENDING if approval else RegistrationStatus.CONFIRMED
    registration.offer_expires_at = None
    registration.updated_at = now
    if registration.status == RegistrationStatus.CONFIRMED and registration.ticket_code is None:
        registration.ticket_code = new_ticket_code(ticket_key)
