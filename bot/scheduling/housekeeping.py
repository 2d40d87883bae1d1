"""Recurring work on the data: lapsing offers, purging personal data, the staff's morning digest."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import Clock
from bot.core.content import Content
from bot.services.broadcasts import Broadcasts
from bot.services.digest import queue_digests
from bot.services.file_links import FileLinks
from bot.services.received_messages import KEPT as RECEIVED_KEPT
from bot.services.received_messages import ReceivedMessages
from bot.services.registration import Registrations, Rules, purge_personal_data

log = logging.getLogger(__name__)


class Housekeeping:
    """The jobs the scheduler runs on a timetable, each in one transaction."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        content: Callable[[], Content],
        clock: Clock,
        zone: ZoneInfo,
        rules: Rules,
        *,
        keep_personal_data: dt.timedelta,
    ) -> None:
        self._sessions = sessions
        self._content = content
        self._clock = clock
        self._zone = zone
        self._rules = rules
        self._keep = keep_personal_data

    async def expire_offers(self) -> int:
        """Lapse every offer past its deadline; returns how many new offers were made."""
        async with self._sessions() as session, session.begin():
            return len(await self._registrations(session).waiting_list.expire_offers())

    async def purge_personal_data(self) -> int:
        """Erase personal data of registrations whose offering ended long enough ago; returns how many."""
        async with self._sessions() as session, session.begin():
            erased = await purge_personal_data(session, self._content(), self._zone, self._clock.now(), self._keep)
            files = await FileLinks(session, self._rules.ticket_key, None, self._clock).purge_expired()
            await ReceivedMessages(session).forget_before(self._clock.now() - RECEIVED_KEPT)
        log.info("purged the personal data of %d registrations and %d lapsed shared files", erased, files)
        return erased

    async def report_broadcasts(self) -> int:
        """Queue a progress report to the sender of every broadcast under way whose figures moved."""
        async with self._sessions() as session, session.begin():
            return await Broadcasts(session, self._clock).report()

    async def send_digests(self) -> int:
        """Queue the morning digest for every staff member; returns how many."""
        async with self._sessions() as session, session.begin():
            return await queue_digests(session, self._clock.now())

    def _registrations(self, session: AsyncSession) -> Registrations:
        return Registrations(session, self._content(), self._clock, self._zone, self._rules)
