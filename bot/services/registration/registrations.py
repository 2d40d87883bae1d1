"""Registrations of courses and tours: seats taken atomically, approval, cancelling; the waiting list
(``waiting_list``), check-in (``check_ins``) and reminders (``reminders``) are theirs to call."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.content import Content
from bot.db.models import ACTIVE_STATUSES, HOLDING_STATUSES, Registration, RegistrationStatus, User
from bot.services.offerings import offering
from bot.services.registration.check_in import CheckIns
from bot.services.registration.notices import tell_owner
from bot.services.registration.rules import CONSENT_VERSION, AlreadyRegistered, RegistrationClosed, Rules, hold, locked
from bot.services.registration.waiting_list import Offer, WaitingList
from bot.services.reminders import Reminders
from bot.services.seats import Seats
from bot.services.tickets import new_ticket_code


class Registrations:
    """The registration rules, on one database session."""

    def __init__(self, session: AsyncSession, content: Content, clock: Clock, zone: ZoneInfo, rules: Rules) -> None:
        self._session = session
        self._content = content
        self._clock = clock
        self._zone = zone
        self._rules = rules
        self.seats = Seats(session)
        self.reminders = Reminders(session, content, clock, zone, rules.reminders)

    @cached_property
    def waiting_list(self) -> WaitingList:
        """Offers of freed seats to waiting parties."""
        return WaitingList(self._session, self._content, self._clock, self._zone, self._rules, self.seats,
                           self.reminders)  # fmt: skip

    @cached_property
    def check_ins(self) -> CheckIns:
        """Tickets and check-in."""
        return CheckIns(self._session, self._clock, self._rules.ticket_key)

    def deadline(self, offering_id: str) -> dt.datetime:
        """When registration closes."""
        return offering(self._content, offering_id).registration_deadline.replace(tzinfo=self._zone)

    def is_open(self, offering_id: str) -> bool:
        """True until the deadline."""
        return self._clock.now() < self.deadline(offering_id)

    async def get(self, registration_id: int) -> Registration | None:
        """A registration by id."""
        return await self._session.get(Registration, registration_id)

    async def active(self, user_id: int, offering_id: str) -> Registration | None:
        """The user's active registration for an offering."""
        result = await self._session.scalars(
            select(Registration).where(
                Registration.user_id == user_id,
                Registration.offering_id == offering_id,
                Registration.status.in_(ACTIVE_STATUSES),
            )
        )
        return result.first()

    async def of_user(self, user_id: int) -> list[Registration]:
        """The user's registrations, active ones first, newest first."""
        result = await self._session.scalars(
            select(Registration).where(Registration.user_id == user_id).order_by(Registration.id.desc())
        )
        registrations = list(result.all())
        return sorted(registrations, key=lambda r: r.status not in ACTIVE_STATUSES)

    async def latest_details(self, user_id: int) -> dict[str, Any]:
        """What the user typed in their latest form, to offer again."""
        result = await self._session.scalars(
            select(Registration.details)
            .where(Registration.user_id == user_id, Registration.erased_at.is_(None))
            .order_by(Registration.id.desc())
            .limit(1)
        )
        return dict(result.first() or {})

    async def register(self, user: User, offering_id: str, seats: int, details: dict[str, Any]) -> Registration:
        """Take seats if enough are left (pending when staff approve the course), else join the waiting list."""
        item = offering(self._content, offering_id)
        if not self.is_open(offering_id):
            raise RegistrationClosed(offering_id)
        await self.seats.lock(offering_id)
        existing = await self.active(user.id, offering_id)
        if existing is not None:
            raise AlreadyRegistered(existing)
        now = self._clock.now()
        registration = Registration(
            user_id=user.id, offering_id=offering_id, seats=seats, details=details,
            consent_version=CONSENT_VERSION, consented_at=now, created_at=now, updated_at=now,
        )  # fmt: skip
        if await self.seats.take(offering_id, seats):
            hold(registration, item, now, self._rules.ticket_key)
        else:
            registration.status = RegistrationStatus.WAITING
        try:
            async with self._session.begin_nested():
                self._session.add(registration)
        except IntegrityError:
            existing = await self.active(user.id, offering_id)
            if existing is None:
                raise
            if registration.status != RegistrationStatus.WAITING:
                await self.seats.release(offering_id, seats)
            raise AlreadyRegistered(existing) from None
        await self.reminders.schedule(registration)
        return registration

    async def cancel(self, registration: Registration) -> list[Offer]:
        """Cancel; freed seats go at once to the waiting list."""
        await locked(self._session, registration)
        if registration.status not in ACTIVE_STATUSES:
            return []
        holding = registration.status in HOLDING_STATUSES
        registration.status = RegistrationStatus.CANCELLED
        registration.updated_at = self._clock.now()
        await self.reminders.cancel(registration)
        if not holding:
            return []
        await self.seats.release(registration.offering_id, registration.seats)
        return await self.waiting_list.offer_freed(registration.offering_id)

    async def of_offering(self, offering_id: str) -> list[Registration]:
        """Every registration for an offering, in order of arrival."""
        result = await self._session.scalars(
            select(Registration).where(Registration.offering_id == offering_id).order_by(Registration.id)
        )
        return list(result.all())

    def confirm_coming(self, registration: Registration) -> bool:
        """The answer "Yes, I'm coming" to the reminder; False when the place is no longer confirmed."""
        if registration.status != RegistrationStatus.CONFIRMED:
            return False
        registration.coming_confirmed_at = self._clock.now()
        return True

    async def approve(self, registration: Registration) -> bool:
        """Staff approve a pending place: it is confirmed and the person is told."""
        await locked(self._session, registration)
        if registration.status != RegistrationStatus.PENDING:
            return False
        registration.status = RegistrationStatus.CONFIRMED
        registration.ticket_code = registration.ticket_code or new_ticket_code(self._rules.ticket_key)
        registration.updated_at = self._clock.now()
        await tell_owner(self._session, registration, "approved", self._clock.now())
        await self.reminders.schedule(registration)
        return True

    async def reject(self, registration: Registration) -> list[Offer]:
        """Staff decline a pending place: the seats go to the waiting list and the person is told."""
        await locked(self._session, registration)
        if registration.status != RegistrationStatus.PENDING:
            return []
        registration.status = RegistrationStatus.DECLINED
        registration.updated_at = self._clock.now()
        await self.seats.release(registration.offering_id, registration.seats)
        await tell_owner(self._session, registration, "rejected", self._clock.now())
        return await self.waiting_list.offer_freed(registration.offering_id)
