"""Several workers on one PostgreSQL database: changes of one place made at once in two transactions,
offers lapsing in two processes, seats taken through two engines, one person's messages at two workers,
the locks they share, and the secrets every process must share."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.config import PROJECT_ROOT, Settings
from bot.conversation.middlewares import Scope
from bot.core.clock import FakeClock
from bot.core.dispatcher import Next
from bot.core.messages import Incoming, Reply
from bot.core.startup import StartupError
from bot.db.locks import LockTimeout, hold, try_hold
from bot.db.models import DialogState, Offering, OutboxMessage, Registration, RegistrationStatus, User
from bot.db.repositories import Users
from bot.runtime import retention, serve
from bot.scheduling.housekeeping import Housekeeping
from bot.services.registration import Registrations
from tests.chat import Chat
from tests.conftest import postgresql_only

TOUR = "spring-2027-son-tay"
COURSE = "vietnamese-advanced"  # staff approve its places
ROUNDS = 4

pytestmark = postgresql_only


async def people(app: App, count: int, prefix: str) -> list[int]:
    async with app.sessions() as session, session.begin():
        return [
            (await Users(session).load_or_create("test", f"{prefix}{n}", display_name=None, seen_language=None,
                                                 now=app.clock.now(), admin=False))[0].id
            for n in range(count)
        ]  # fmt: skip


async def set_capacity(app: App, offering_id: str, capacity: int) -> None:
    async with app.sessions() as session, session.begin():
        await session.execute(update(Offering).where(Offering.id == offering_id).values(capacity=capacity))


async def register(app: App, user_ids: list[int], offering_id: str) -> list[int]:
    """One seat each, in order; the registrations' ids."""
    ids = []
    for user_id in user_ids:
        async with app.sessions() as session, session.begin():
            user = await session.get(User, user_id)
            assert user is not None
            registration = await registrations(app, session).register(user, offering_id, 1, {"name": f"P{user_id}"})
            ids.append(registration.id)
    return ids


def housekeeping(app: App, clock: FakeClock) -> Housekeeping:
    return Housekeeping(app.sessions, app.published, clock, app.settings.zone,
                        retention=retention(app.settings))  # fmt: skip


def registrations(app: App, session: AsyncSession) -> Registrations:
    return Registrations(session, app.content, app.clock, app.settings.zone, app.rules)


async def on_registration(
    app: App, registration_id: int, change: Callable[[Registrations, Registration], Awaitable[object]]
) -> None:
    """Apply ``change`` to a registration in a transaction of its own."""
    async with app.sessions() as session, session.begin():
        registration = await session.get(Registration, registration_id)
        assert registration is not None
        await change(registrations(app, session), registration)


async def seats_and_statuses(app: App, offering_id: str) -> tuple[int, dict[str, int]]:
    async with app.sessions() as session:
        offering = await session.get(Offering, offering_id, populate_existing=True)
        rows = await session.execute(
            select(Registration.status, func.count())
            .where(Registration.offering_id == offering_id)
            .group_by(Registration.status)
        )
        assert offering is not None
        return offering.seats_taken, {str(status): int(count) for status, count in rows.all()}


async def test_cancel_and_reject_of_one_place_at_once_release_its_seats_once(app: App) -> None:
    await set_capacity(app, COURSE, ROUNDS)
    pending = await register(app, await people(app, ROUNDS, "p"), COURSE)
    waiting = await register(app, await people(app, 2 * ROUNDS, "w"), COURSE)
    for registration_id in pending:
        await asyncio.gather(
            on_registration(app, registration_id, lambda service, r: service.cancel(r)),
            on_registration(app, registration_id, lambda service, r: service.reject(r)),
        )
    taken, statuses = await seats_and_statuses(app, COURSE)
    assert statuses[RegistrationStatus.OFFERED] == ROUNDS, "one offer for each place freed"
    assert taken == ROUNDS
    assert statuses[RegistrationStatus.WAITING] == len(waiting) - ROUNDS


async def test_a_double_tapped_cancel_releases_the_seats_once(app: App) -> None:
    await set_capacity(app, TOUR, ROUNDS)
    confirmed = await register(app, await people(app, ROUNDS, "c"), TOUR)
    await register(app, await people(app, 2 * ROUNDS, "w"), TOUR)
    for registration_id in confirmed:
        await asyncio.gather(
            *(on_registration(app, registration_id, lambda service, r: service.cancel(r)) for _ in range(2))
        )
    taken, statuses = await seats_and_statuses(app, TOUR)
    assert (taken, statuses[RegistrationStatus.OFFERED]) == (ROUNDS, ROUNDS)


async def test_two_processes_lapse_each_offer_once(app: App, second_app: App, clock: FakeClock) -> None:
    await set_capacity(app, TOUR, ROUNDS)
    confirmed = await register(app, await people(app, ROUNDS, "c"), TOUR)
    await register(app, await people(app, 3 * ROUNDS, "w"), TOUR)
    for registration_id in confirmed:
        await on_registration(app, registration_id, lambda service, r: service.cancel(r))
    clock.advance(dt.timedelta(hours=25))
    jobs = [housekeeping(a, clock) for a in (app, second_app)]
    await asyncio.gather(*(job.expire_offers() for job in jobs for _ in range(3)))
    async with app.sessions() as session:
        lapsed = await session.scalar(select(func.count()).where(OutboxMessage.template == "offer_expired"))
    taken, statuses = await seats_and_statuses(app, TOUR)
    assert lapsed == ROUNDS, "each lapsed offer is told once"
    assert statuses[RegistrationStatus.DECLINED] == ROUNDS
    assert (taken, statuses[RegistrationStatus.OFFERED]) == (ROUNDS, ROUNDS), "and passed on once"


async def test_200_confirmations_through_two_engines_for_40_seats(app: App, second_app: App) -> None:
    await set_capacity(app, TOUR, 40)
    users = await people(app, 200, "c")

    async def confirm(n: int, user_id: int) -> None:
        await register((app, second_app)[n % 2], [user_id], TOUR)

    await asyncio.gather(*(confirm(n, user_id) for n, user_id in enumerate(users)))
    taken, statuses = await seats_and_statuses(app, TOUR)
    assert (taken, statuses[RegistrationStatus.CONFIRMED], statuses[RegistrationStatus.WAITING]) == (40, 40, 160)


async def test_one_persons_messages_at_two_workers_are_handled_in_order(app: App, second_app: App) -> None:
    first, second = (Chat(a.dispatcher, user_id="anna") for a in (app, second_app))
    await Chat(second_app.dispatcher, user_id="warm-up").send("/start")  # a connection ready in each pool
    await first.press_payload("register:spring-2027-co-loa")

    async def slow(message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        replies = await call_next(message)
        await asyncio.sleep(0.05)  # the first worker takes its time to commit: the second message arrives
        return replies

    async def later(seconds: float, work: Awaitable[object]) -> object:
        await asyncio.sleep(seconds)
        return await work

    app.dispatcher.middlewares = (*app.dispatcher.middlewares, slow)
    await asyncio.gather(first.send("Anna Schmidt"), later(0.01, second.send("German")))
    async with app.sessions() as session:
        state = await session.scalar(select(DialogState).join(User).where(User.external_id == "anna"))
    assert state is not None
    answers = state.data["answers"]
    assert (answers.get("name"), answers.get("nationality")) == ("Anna Schmidt", "German")


async def test_a_lock_is_held_until_the_transaction_ends(app: App) -> None:
    async with app.sessions() as holder, holder.begin():
        await hold(holder, "job:test")
        async with app.sessions() as other, other.begin():
            assert not await try_hold(other, "job:test")
            with pytest.raises(LockTimeout):
                await hold(other, "job:test", wait=dt.timedelta(milliseconds=50))
    async with app.sessions() as other, other.begin():
        assert await try_hold(other, "job:test")


async def test_seats_can_never_go_above_capacity_or_below_zero(app: App) -> None:
    for seats in (-1, 10_000):
        with pytest.raises(IntegrityError):
            async with app.sessions() as session, session.begin():
                await session.execute(update(Offering).where(Offering.id == TOUR).values(seats_taken=seats))


async def test_postgresql_needs_the_shared_secrets(settings: Settings) -> None:
    bare = Settings(database_url=settings.database_url, data_dir=settings.data_dir,
                    content_dir=PROJECT_ROOT / "content", _env_file=None)  # fmt: skip
    with pytest.raises(StartupError, match="set WEBHOOK_SECRET and SECRET_KEY"):
        await serve(bare)
