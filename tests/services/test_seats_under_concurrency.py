"""Seats under concurrency: 200 people confirming at once for 40 seats."""

from __future__ import annotations

import asyncio

from sqlalchemy import select, update

from bot.app import App
from bot.core.clock import FakeClock
from bot.db.models import Offering, Registration, User
from bot.db.repositories import Users
from bot.services.registration import Registrations

TOUR = "spring-2027-son-tay"


async def test_200_confirmations_for_40_seats(app: App, clock: FakeClock) -> None:
    async with app.sessions() as session, session.begin():
        await session.execute(update(Offering).where(Offering.id == TOUR).values(capacity=40))
        users = [
            (await Users(session).load_or_create("test", f"c{i}", display_name=None, seen_language=None,
                                                 now=clock.now(), admin=False))[0].id
            for i in range(200)
        ]  # fmt: skip
    arrival: list[int] = []

    async def confirm(user_id: int) -> None:
        async with app.sessions() as session, session.begin():
            service = Registrations(session, app.content, clock, app.settings.zone, app.rules)
            user = await session.get(User, user_id)
            assert user is not None
            await service.register(user, TOUR, 1, {"name": f"Person {user_id}"})
            arrival.append(user_id)

    await asyncio.gather(*(confirm(user_id) for user_id in users))
    async with app.sessions() as session:
        rows = (await session.scalars(select(Registration).order_by(Registration.id))).all()
        offering = await session.get(Offering, TOUR)
    assert offering is not None
    confirmed = [r for r in rows if r.status == "confirmed"]
    waiting = [r for r in rows if r.status == "waiting"]
    assert len(confirmed) == 40
    assert offering.seats_taken == 40
    assert len(waiting) == 160
    assert [r.user_id for r in rows] == arrival, "the waiting list keeps the order of arrival"
    assert all(r.ticket_code for r in confirmed)
    assert len({r.ticket_code for r in confirmed}) == 40
