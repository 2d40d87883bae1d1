"""Recurring work on the data: lapsing offers, purging personal data, the staff's morning digest.

Every process runs the timetable; each job runs in one of them at a time (the others skip that turn)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import Clock
from bot.db.locks import try_hold
from bot.services.audit import Audit
from bot.services.broadcasts import Broadcasts
from bot.services.digest import queue_digests
from bot.services.file_links import FileLinks
from bot.services.outbox import Outbox
from bot.services.received_messages import KEPT as RECEIVED_KEPT
from bot.services.received_messages import ReceivedMessages
from bot.services.registration import Registrations, purge_personal_data
from bot.services.sent_polls import SentPolls
from bot.services.unit_of_work import Published
from bot.services.webchat import Transcripts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retention:
    """How long data is kept: personal data after its offering ended, sent messages, audit entries."""

    personal_data: dt.timedelta
    sent_messages: dt.timedelta
    audit: dt.timedelta


class Housekeeping:
    """The jobs the scheduler runs on a timetable, each in one transaction."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        published: Published,
        clock: Clock,
        zone: ZoneInfo,
        *,
        retention: Retention,
    ) -> None:
        self._sessions = sessions
        self._published = published
        self._clock = clock
        self._zone = zone
        self._retention = retention

    @contextlib.asynccontextmanager
    async def _alone(self, job: str) -> AsyncIterator[AsyncSession | None]:
        """A transaction for ``job``, or None while another process runs it."""
        async with self._sessions() as session, session.begin():
            yield session if await try_hold(session, f"job:{job}") else None

    async def expire_offers(self) -> int:
        """Lapse every offer past its deadline; returns how many new offers were made."""
        async with self._alone("offers") as session:
            return 0 if session is None else len(await self._registrations(session).waiting_list.expire_offers())

    async def purge(self) -> int:
        """Erase personal data of registrations whose offering ended long enough ago (returns how many),
        lapsed shared files, and what is kept only for a while: sent messages, audit entries, the ids of
        received messages."""
        now, keep = self._clock.now(), self._retention
        async with self._alone("purge") as session:
            if session is None:
                return 0
            published = self._published
            erased = await purge_personal_data(session, published.content, self._zone, now, keep.personal_data)
            files = await FileLinks(session, published.rules.ticket_key, None, self._clock).purge_expired()
            messages = await Outbox(session).forget_finished_before(now - keep.sent_messages)
            entries = await Audit(session, self._clock).forget_before(now - keep.audit)
            await ReceivedMessages(session).forget_before(now - RECEIVED_KEPT)
            await SentPolls(session).forget_before(now - RECEIVED_KEPT)
            await Transcripts(session).forget_before(now - keep.personal_data)  # web chats: as personal data
        log.info("purged the personal data of %d registrations, %d lapsed shared files, %d sent messages and "
                 "%d audit entries", erased, files, messages, entries)  # fmt: skip
        return erased

    async def report_broadcasts(self) -> int:
        """Queue a progress report to the sender of every broadcast under way whose figures moved."""
        async with self._alone("broadcast-progress") as session:
            return 0 if session is None else await Broadcasts(session, self._clock).report()

    async def send_digests(self) -> int:
        """Queue the morning digest for every staff member; returns how many."""
        async with self._alone("digest") as session:
            return 0 if session is None else await queue_digests(session, self._clock.now())

    def _registrations(self, session: AsyncSession) -> Registrations:
        published = self._published
        return Registrations(session, published.content, self._clock, self._zone, published.rules)
