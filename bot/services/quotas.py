"""Monthly quotas of platforms that sell messages by the month (Zalo's free plan: 3,000): what was sent
this month, what is left, and whether a broadcast fits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.db.models import MonthlySends, User
from bot.db.repositories import dialect_insert

RESERVE_SHARE: Final = 0.1
"""The share of a quota kept for replies and reminders: broadcasts stop when only this much is left."""


class Quotas:
    """Messages sent per channel and month, against the quotas set (channels without one are unlimited)."""

    def __init__(self, session: AsyncSession, limits: Mapping[str, int], clock: Clock, zone: ZoneInfo) -> None:
        self._session = session
        self._limits = limits
        self._clock = clock
        self._zone = zone

    def _month(self) -> str:
        return self._clock.now().astimezone(self._zone).strftime("%Y-%m")

    async def spend(self, channel: str, messages: int = 1) -> None:
        """Count ``messages`` sent on ``channel`` now."""
        if channel not in self._limits:
            return
        statement = dialect_insert(self._session, MonthlySends).values(channel=channel, month=self._month(),
                                                                        sent=messages)  # fmt: skip
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[MonthlySends.channel, MonthlySends.month], set_={"sent": MonthlySends.sent + messages}
            )
        )

    async def left(self, channel: str) -> int | None:
        """Messages ``channel`` may still send this month; None without a quota."""
        limit = self._limits.get(channel)
        if limit is None:
            return None
        sent = await self._session.scalar(
            select(MonthlySends.sent).where(MonthlySends.channel == channel, MonthlySends.month == self._month())
        )
        return max(0, limit - (sent or 0))

    async def broadcasts_allowed(self, channel: str) -> bool:
        """False when so little is left that replies and reminders need the rest."""
        left, limit = await self.left(channel), self._limits.get(channel)
        return left is None or limit is None or left > limit * RESERVE_SHARE

    async def shortfalls(self, recipients: Iterable[User]) -> dict[str, tuple[int, int]]:
        """``{channel: (needed, left)}`` for each channel where one message to each of ``recipients`` would
        exceed what is left."""
        found = {}
        for channel, count in Counter(person.channel for person in recipients).items():
            left = await self.left(channel)
            if left is not None and count > left:
                found[channel] = (count, left)
        return found
