"""A channel's sending rate kept in the database, so that every process sending on the channel (``haufo-bot
run`` workers, ``haufo-bot broadcast``) shares one rate, one pause after a 429, and one line of slots."""

from __future__ import annotations

import time

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.pacing import RateState, fresh_rate
from bot.db.models import SendRate
from bot.db.repositories import dialect_insert


class SharedTimeline:
    """The ``Timeline`` of one channel, in the ``send_rates`` table.

    Each change is one short transaction that writes before it reads: the write takes the row's lock on
    PostgreSQL and the database's write lock on SQLite, so two processes never take the same slots."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], channel: str, ceiling: float) -> None:
        self._sessions = sessions
        self._channel = channel
        self.ceiling = ceiling

    async def reserve(self, count: int) -> tuple[float, float]:
        """Take ``count`` slots: the first slot's instant and the interval between slots."""
        async with self._sessions() as session, session.begin():
            state, now = await self._locked(session)
            state, start, interval = state.reserve(now, count, self.ceiling)
            await self._save(session, state)
        return start, interval

    async def flooded(self, retry_after: float) -> None:
        """Pause every process's sending for ``retry_after``, and lower the rate."""
        async with self._sessions() as session, session.begin():
            state, now = await self._locked(session)
            await self._save(session, state.flooded(now, retry_after, self.ceiling))

    async def _locked(self, session: AsyncSession) -> tuple[RateState, float]:
        """The channel's state under lock (created at the ceiling the first time), and the time then."""
        row = SendRate.__table__.c
        touch = update(SendRate).where(row.channel == self._channel).values(channel=row.channel)
        touched = await session.execute(touch)
        if not getattr(touched, "rowcount", 0):  # the first time: create the row, then lock it like any other
            initial = fresh_rate(self.ceiling, time.time())
            await session.execute(
                dialect_insert(session, SendRate)
                .values(channel=self._channel, next_at=initial.next_at, rate=initial.rate, since=initial.since,
                        paused_until=initial.paused_until)
                .on_conflict_do_nothing(index_elements=[row.channel])
            )  # fmt: skip
            await session.execute(touch)
        found = (
            await session.execute(
                select(row.next_at, row.rate, row.since, row.paused_until).where(row.channel == self._channel)
            )
        ).one()
        return RateState(*found), time.time()

    async def _save(self, session: AsyncSession, state: RateState) -> None:
        await session.execute(
            update(SendRate)
            .where(SendRate.channel == self._channel)
            .values(next_at=state.next_at, rate=state.rate, since=state.since, paused_until=state.paused_until)
        )
