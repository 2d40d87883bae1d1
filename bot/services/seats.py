"""Seats of courses and tours: capacities from the content, taken and released atomically."""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.content import Content
from bot.db.models import Offering
from bot.db.repositories import insert_ignoring_duplicates

log = logging.getLogger(__name__)


class Seats:
    """Seat counts per offering; one conditional UPDATE takes seats, so no two parties get the same one."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def sync(self, content: Content) -> list[str]:
        """Create or resize an offering for every tour and course; returns the ids whose capacity grew."""
        capacities = {**{i: ("tour", t.seats) for i, t in content.tours.items.items()},
                      **{i: ("course", c.seats) for i, c in content.courses.items.items()}}  # fmt: skip
        known = {o.id: o for o in (await self._session.scalars(select(Offering))).all()}
        grown = []
        for offering_id, (kind, capacity) in capacities.items():
            current = known.get(offering_id)
            if current is None:
                values = {"id": offering_id, "kind": kind, "capacity": capacity, "seats_taken": 0}
                await self._session.execute(insert_ignoring_duplicates(self._session, Offering).values(**values))
            elif current.capacity != capacity:
                if capacity > current.capacity:
                    grown.append(offering_id)
                if capacity < current.seats_taken:
                    log.warning("%s: the content gives %d seats, %d are taken; they stay taken",
                                offering_id, capacity, current.seats_taken)  # fmt: skip
                current.capacity = max(capacity, current.seats_taken)
        return grown

    async def lock(self, offering_id: str) -> None:
        """Queue behind other registrations for this offering until this transaction ends, so the waiting
        list is in arrival order (PostgreSQL row lock; SQLite has one writer anyway)."""
        await self._session.execute(select(Offering.id).where(Offering.id == offering_id).with_for_update())

    async def take(self, offering_id: str, count: int) -> bool:
        """Take ``count`` seats if that many are left."""
        result = await self._session.execute(
            update(Offering)
            .where(Offering.id == offering_id, Offering.seats_taken + count <= Offering.capacity)
            .values(seats_taken=Offering.seats_taken + count)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def release(self, offering_id: str, count: int) -> None:
        """Give ``count`` seats back."""
        await self._session.execute(
            update(Offering)
            .where(Offering.id == offering_id)
            .values(seats_taken=Offering.seats_taken - count)
            .execution_options(synchronize_session=False)
        )

    async def left(self, offering_id: str) -> int:
        """Seats still free."""
        offering = await self._session.get(Offering, offering_id, populate_existing=True)
        return 0 if offering is None else max(0, offering.capacity - offering.seats_taken)
