"""The waiting list: parties waiting for seats in order, offers of freed seats, accepted, declined or lapsed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.content import Content
from bot.db.models import Registration, RegistrationStatus
from bot.services.offerings import offering, starts_at
from bot.services.registration.notices import tell_owner
from bot.services.registration.rules import MIN_OFFER_WINDOW, Rules, hold, locked
from bot.services.reminders import Reminders
from bot.services.seats import Seats


@dataclass(frozen=True)
class Offer:
    """Freed seats offered to a waiting party."""

    registration: Registration
    expires_at: dt.datetime


class WaitingList:
    """The waiting list of every offering, on one database session."""

    def __init__(self, session: AsyncSession, content: Content, clock: Clock, zone: ZoneInfo, rules: Rules,
                 seats: Seats, reminders: Reminders) -> None:  # fmt: skip
        self._session = session
        self._content = content
        self._clock = clock
        self._zone = zone
        self._rules = rules
        self._seats = seats
        self._reminders = reminders

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

    def offer_expiry(self, offering_id: str) -> dt.datetime:
        """Until when an offer stands: the offer window, shorter when the offering starts sooner."""
        now = self._clock.now()
        until_start = starts_at(offering(self._content, offering_id), self._zone) - now
        window = min(self._rules.offer_window, max(MIN_OFFER_WINDOW, until_start / 4))
        return now + window

    async def offer_freed(self, offering_id: str) -> list[Offer]:
        """Offer free seats to waiting parties in order; a party too large to fit keeps its place while a
        smaller one behind it is served. The waiting list is served after the registration deadline too,
        until the offering starts."""
        if self._clock.now() >= starts_at(offering(self._content, offering_id), self._zone):
            return []
        await self._seats.lock(offering_id)
        left = await self._seats.left(offering_id)
        offers: list[Offer] = []
        waiting = await self._session.scalars(
            select(Registration)
            .where(Registration.offering_id == offering_id, Registration.status == RegistrationStatus.WAITING)
            .order_by(Registration.id)
        )
        for registration in waiting.all():
            if left <= 0:
                break
            if registration.seats > left or not await self._seats.take(offering_id, registration.seats):
                continue
            left -= registration.seats
            registration.status = RegistrationStatus.OFFERED
            registration.offer_expires_at = expires = self.offer_expiry(offering_id)
            registration.updated_at = self._clock.now()
            offers.append(Offer(registration, expires))
            await tell_owner(
                self._session,
                registration,
                "offer",
                self._clock.now(),
                expires_at=expires.isoformat(),
                seats=registration.seats,
            )
        return offers

    async def accept(self, registration: Registration) -> bool:
        """Take an offer that still stands."""
        await locked(self._session, registration)
        expires = registration.offer_expires_at
        if registration.status != RegistrationStatus.OFFERED or expires is None or expires <= self._clock.now():
            return False
        item = offering(self._content, registration.offering_id)
        hold(registration, item, self._clock.now(), self._rules.ticket_key)
        await self._reminders.schedule(registration)
        return True

    async def decline(self, registration: Registration) -> list[Offer]:
        """Turn an offer down; the seats go to the next party."""
        await locked(self._session, registration)
        if registration.status != RegistrationStatus.OFFERED:
            return []
        registration.status = RegistrationStatus.DECLINED
        registration.offer_expires_at = None
        registration.updated_at = self._clock.now()
        await self._seats.release(registration.offering_id, registration.seats)
        return await self.offer_freed(registration.offering_id)

    async def expire_offers(self) -> list[Offer]:
        """Offers not answered in time lapse; their seats pass to the next parties. The lapsed offers are
        locked as they are read, and those another process holds are skipped, so each lapses once."""
        now = self._clock.now()
        expired = await self._session.scalars(
            select(Registration)
            .where(Registration.status == RegistrationStatus.OFFERED, Registration.offer_expires_at <= now)
            .with_for_update(skip_locked=True)
        )
        offers: list[Offer] = []
        for registration in expired.all():
            expired_at = registration.offer_expires_at
            offers += await self.decline(registration)
            await tell_owner(
                self._session,
                registration,
                "offer_expired",
                now,
                expires_at=expired_at.isoformat() if expired_at else "",
            )
        return offers
