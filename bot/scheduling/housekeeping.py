"""Recurring work: offers not answered in time pass on. (The scheduler issue moves this to APScheduler.)"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import Clock
from bot.core.content import Content
from bot.scheduling.repeat import repeat
from bot.services.registration import Registrations, Rules

log = logging.getLogger(__name__)

EVERY_SECONDS: Final = 30.0


class Housekeeping:
    """Lapses expired waiting-list offers, passing their seats to the next parties."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        content: Callable[[], Content],
        clock: Clock,
        zone: ZoneInfo,
        rules: Rules,
    ) -> None:
        self._sessions = sessions
        self._content = content
        self._clock = clock
        self._zone = zone
        self._rules = rules

    async def expire_offers(self) -> int:
        """Lapse every offer past its deadline; returns how many new offers were made."""
        async with self._sessions() as session, session.begin():
            registrations = Registrations(session, self._content(), self._clock, self._zone, self._rules)
            return len(await registrations.expire_offers())

    async def run(self, stop: asyncio.Event) -> None:
        """Repeat until ``stop`` is set."""
        await repeat(self.expire_offers, every=EVERY_SECONDS, stop=stop)
