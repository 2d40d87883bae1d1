"""Registering for courses and tours: seats, approval, the waiting list and offers of freed seats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.content import Content, Course, Tour
from bot.db.models import ACTIVE_STATUSES, HOLDING_STATUSES, Registration, RegistrationStatus, User
from bot.services.offerings import ends_at, offering, starts_at
from bot.services.outbox import Outbox
from bot.services.reminders import DEFAULT_RULES, ReminderRules, Reminders
from bot.services.seats import Seats
from bot.services.tickets import new_ticket_code, signed

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


@dataclass(frozen=True)
class CheckIn:
    """What scanning a ticket found: no valid ticket, a ticket used before, or a fresh check-in."""

    registration: Registration | None
    earlier: dt.datetime | None = None
    """When the ticket had already been used, if it had."""


@dataclass(frozen=True)
class Offer:
    """Freed seats offered to a waiting party."""

    registration: Registration
    expires_at: dt.datetime


class Registrations:
    """The registration rules, on one database session."""

    def __init__(
        self,
        session: AsyncSession,
        content: Content,
        clock: Clock,
        zone: ZoneInfo,
        rules: Rules,
    ) -> None:
        self._session = session
        self._content = content
        self._clock = clock
        self._zone = zone
        self._offer_window = rules.offer_window
        self._ticket_key = rules.ticket_key
        self.seats = Seats(session)
        self.reminders = Reminders(session, content, clock, zone, rules.reminders)
        self._outbox = Outbox(session)

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
            self._hold(registration, item, now)
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

    def _hold(self, registration: Registration, item: Tour | Course, now: dt.datetime) -> None:
        """Seats are taken: the place is confirmed, or pending staff approval."""
        approval = isinstance(item, Course) and item.approval
        registration.status = RegistrationStatus.PENDING if approval else RegistrationStatus.CONFIRMED
        registration.offer_expires_at = None
        registration.updated_at = now
        if registration.status == RegistrationStatus.CONFIRMED and registration.ticket_code is None:
            registration.ticket_code = new_ticket_code(self._ticket_key)

    async def position(self, registration: Registration) -> int:
        """1 for the first party on the waiting list."""
        count = await self._session.scalar(
            select(func.count()).where(
                Registration.offering_id == registration.offering_id,
                Registration.status == RegistrationStatus.WAITING,
                Registration.id <= registration.id,
            )
        )
        return int(count or 0)

    async def cancel(self, registration: Registration) -> list[Offer]:
        """Cancel; freed seats go at once to the waiting list."""
        if registration.status not in ACTIVE_STATUSES:
            return []
        holding = registration.status in HOLDING_STATUSES
        registration.status = RegistrationStatus.CANCELLED
        registration.updated_at = self._clock.now()
        await self.reminders.cancel(registration)
        if not holding:
            return []
        await self.seats.release(registration.offering_id, registration.seats)
        return await self.offer_freed(registration.offering_id)

    def offer_expiry(self, offering_id: str) -> dt.datetime:
        """Until when an offer stands: the offer window, shorter when the offering starts sooner."""
        now = self._clock.now()
        until_start = starts_at(offering(self._content, offering_id), self._zone) - now
        window = min(self._offer_window, max(MIN_OFFER_WINDOW, until_start / 4))
        return now + window

    async def offer_freed(self, offering_id: str) -> list[Offer]:
        """Offer free seats to waiting parties in order; a party too large to fit keeps its place while a
        smaller one behind it is served. The waiting list is served after the registration deadline too,
        until the offering starts."""
        if self._clock.now() >= starts_at(offering(self._content, offering_id), self._zone):
            return []
        await self.seats.lock(offering_id)
        left = await self.seats.left(offering_id)
        offers: list[Offer] = []
        waiting = await self._session.scalars(
            select(Registration)
            .where(Registration.offering_id == offering_id, Registration.status == RegistrationStatus.WAITING)
            .order_by(Registration.id)
        )
        for registration in waiting.all():
            if left <= 0:
                break
            if registration.seats > left or not await self.seats.take(offering_id, registration.seats):
                continue
            left -= registration.seats
            registration.status = RegistrationStatus.OFFERED
            registration.offer_expires_at = expires = self.offer_expiry(offering_id)
            registration.updated_at = self._clock.now()
            offers.append(Offer(registration, expires))
            await self._notify(registration, "offer", expires_at=expires.isoformat(), seats=registration.seats)
        return offers

    async def _notify(self, registration: Registration, template: str, **params: Any) -> None:
        """Queue a message about ``registration`` to its owner."""
        user = await self._session.get(User, registration.user_id)
        if user is None:
            return
        params |= {"registration": registration.id, "offering": registration.offering_id}
        key = f"{template}:{registration.id}:{params.get('expires_at', '')}"
        expires = registration.offer_expires_at if template == "offer" else None  # an answer is too late then
        await self._outbox.enqueue(user, template, params, due_at=self._clock.now(), dedup_key=key,
                                   subject=f"registration:{registration.id}", expires_at=expires)  # fmt: skip

    async def accept(self, registration: Registration) -> bool:
        """Take an offer that still stands."""
        expires = registration.offer_expires_at
        if registration.status != RegistrationStatus.OFFERED or expires is None or expires <= self._clock.now():
            return False
        self._hold(registration, offering(self._content, registration.offering_id), self._clock.now())
        await self.reminders.schedule(registration)
        return True

    async def decline(self, registration: Registration) -> list[Offer]:
        """Turn an offer down; the seats go to the next party."""
        if registration.status != RegistrationStatus.OFFERED:
            return []
        registration.status = RegistrationStatus.DECLINED
        registration.offer_expires_at = None
        registration.updated_at = self._clock.now()
        await self.seats.release(registration.offering_id, registration.seats)
        return await self.offer_freed(registration.offering_id)

    async def expire_offers(self) -> list[Offer]:
        """Offers not answered in time lapse; their seats pass to the next parties."""
        now = self._clock.now()
        expired = await self._session.scalars(
            select(Registration).where(
                Registration.status == RegistrationStatus.OFFERED, Registration.offer_expires_at <= now
            )
        )
        offers: list[Offer] = []
        for registration in expired.all():
            expired_at = registration.offer_expires_at
            offers += await self.decline(registration)
            await self._notify(registration, "offer_expired", expires_at=expired_at.isoformat() if expired_at else "")
        return offers

    async def of_offering(self, offering_id: str) -> list[Registration]:
        """Every registration for an offering, in order of arrival."""
        result = await self._session.scalars(
            select(Registration).where(Registration.offering_id == offering_id).order_by(Registration.id)
        )
        return list(result.all())

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

    def confirm_coming(self, registration: Registration) -> bool:
        """The answer "Yes, I'm coming" to the reminder; False when the place is no longer confirmed."""
        if registration.status != RegistrationStatus.CONFIRMED:
            return False
        registration.coming_confirmed_at = self._clock.now()
        return True

    async def approve(self, registration: Registration) -> bool:
        """Staff approve a pending place: it is confirmed and the person is told."""
        if registration.status != RegistrationStatus.PENDING:
            return False
        registration.status = RegistrationStatus.CONFIRMED
        registration.ticket_code = registration.ticket_code or new_ticket_code(self._ticket_key)
        registration.updated_at = self._clock.now()
        await self._notify(registration, "approved")
        await self.reminders.schedule(registration)
        return True

    async def reject(self, registration: Registration) -> list[Offer]:
        """Staff decline a pending place: the seats go to the waiting list and the person is told."""
        if registration.status != RegistrationStatus.PENDING:
            return []
        registration.status = RegistrationStatus.DECLINED
        registration.updated_at = self._clock.now()
        await self.seats.release(registration.offering_id, registration.seats)
        await self._notify(registration, "rejected")
        return await self.offer_freed(registration.offering_id)

    async def purge(self, after: dt.timedelta) -> int:
        """Erase the personal data of registrations whose offering ended more than ``after`` ago; counts stay."""
        now = self._clock.now()
        ended = [
            offering_id
            for offering_id in [*self._content.tours.ids(), *self._content.courses.ids()]
            if ends_at(offering(self._content, offering_id), self._zone) + after <= now
        ]
        if not ended:
            return 0
        result = await self._session.scalars(
            select(Registration).where(Registration.offering_id.in_(ended), Registration.erased_at.is_(None))
        )
        erased = 0
        for registration in result.all():
            registration.details, registration.ticket_code, registration.erased_at = {}, None, now
            erased += 1
        return erased
