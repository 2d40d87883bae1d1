"""Delivery: claims due outbox rows, renders them in the recipient's language, sends them, records the outcome.

A row is claimed (status ``sending``, with a lease) in one transaction, sent, and marked ``sent`` as soon as
the platform confirms it (confirmations that arrive together share one commit). The one window in which a
crash causes a duplicate is between the platform accepting a message and that commit. Each of the
``WORKERS`` holds one row at a time, from its send to its confirmation, so at most ``WORKERS`` rows (those in
flight or waiting for the commit of their confirmation) are sent twice: such a row is still ``sending`` when
its lease runs out, and is sent again. A lease that runs out while its process lives would also send again,
so a row not started within the lease, less ``SEND_TIME`` (a row waiting behind a long broadcast, or for
a long 429 pause), is handed back unsent, for this process or another to claim again."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import Channel, MessageRejected, RecipientUnreachable
from bot.channels.pacing import SendDeadline, within
from bot.core.clock import Clock
from bot.core.content import Content
from bot.core.i18n import Catalogs, use_locale
from bot.core.messages import Priority, Reply
from bot.core.metrics import DELIVERIES, OUTBOX_LATENESS, USERS_BLOCKED
from bot.core.notices import Notice, Template
from bot.core.translation import noting_stand_ins, with_stand_in_note
from bot.db.models import User
from bot.services.button_memory import ButtonMemory
from bot.services.outbox import Claimed, Outbox
from bot.services.people import People, reading_language

log = logging.getLogger(__name__)

MAX_ATTEMPTS: Final = 5
BATCH: Final = 32
LOW_WATER: Final = 16
CONCURRENCY: Final = 4  # sends in flight; more costs more than it gains (httpcore checks every idle connection)
WORKERS: Final = 2 * CONCURRENCY  # rendering and confirming overlap the sends
LINGER: Final = dt.timedelta(milliseconds=250)
DEFAULT_LEASE: Final = dt.timedelta(seconds=120)
SEND_TIME: Final = dt.timedelta(seconds=45)
"""What a send may take once started (the client gives up after 30 s), and its confirmation."""
STOP: Final = max(Priority) + 1
"""Sorts after every row in the local queue: the workers finish the rows in hand, then stop."""


@dataclass(frozen=True)
class Recipient:
    """Who a row goes to."""

    id: int
    external_id: str
    language: str | None
    seen_language: str | None
    blocked: bool


class Delivery:
    """Sends due outbox rows through their channel, whose sending budget paces them."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalogs: Catalogs,
        content: Callable[[], Content],
        templates: Mapping[str, Template],
        channels: Mapping[str, Channel],
        clock: Clock,
        *,
        lease: dt.timedelta = DEFAULT_LEASE,
    ) -> None:
        self._sessions = sessions
        self._catalogs = catalogs
        self._content = content
        self._templates = templates
        self._channels = channels
        self._clock = clock
        self._lease = lease
        self._send_window = (lease - min(SEND_TIME, lease / 2)).total_seconds()
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self._stopping = False
        self._confirmations: list[dict[str, Any]] = []
        self._shown: list[tuple[int, list[Reply]]] = []
        self._confirming = asyncio.Lock()

    def stop(self) -> None:
        """Finish the batch in hand, and claim no more."""
        self._stopping = True

    async def send_due(self) -> int:
        """Send every row that is due, and those falling due within ``LINGER`` meanwhile; returns how many
        were sent. Workers take rows from a short local queue that is topped up with the next due rows
        before it runs dry, so a row waits for a few sends, not for a whole batch; a message for one person
        overtakes a broadcast's copies there too."""
        queue: asyncio.PriorityQueue[tuple[int, int, Claimed | None, Recipient | None, float]] = asyncio.PriorityQueue()
        order = itertools.count()
        low = asyncio.Event()
        outcomes: list[int] = []

        async def work() -> None:
            while (item := await queue.get())[2] is not None:
                outcomes.append(await self._deliver(item[2], item[3], item[4]))
                if queue.qsize() <= LOW_WATER:
                    low.set()

        workers = [asyncio.create_task(work()) for _ in range(WORKERS)]
        loop, idle_since = asyncio.get_running_loop(), None
        try:
            while not self._stopping:
                claimed, deadline = await self._claim(), time.time() + self._send_window
                if not claimed:
                    idle_since = idle_since or loop.time()
                    upcoming = await self.next_due()
                    wait = (upcoming - self._clock.now()).total_seconds() if upcoming else LINGER.total_seconds()
                    if wait >= LINGER.total_seconds() or loop.time() - idle_since >= LINGER.total_seconds():
                        break
                    await asyncio.sleep(max(wait, 0.001))
                    continue
                idle_since = None
                recipients = await self._recipients({row.user_id for row in claimed})
                for row in claimed:
                    queue.put_nowait((row.priority, next(order), row, recipients.get(row.user_id), deadline))
                low.clear()
                if queue.qsize() > LOW_WATER:
                    await low.wait()
        finally:
            for _ in workers:
                queue.put_nowait((STOP, next(order), None, None, 0.0))
            await asyncio.gather(*workers)
        return sum(outcomes)

    async def next_due(self) -> dt.datetime | None:
        """When the next row falls due (or a lease of a dead process runs out)."""
        async with self._sessions() as session:
            return await Outbox(session).next_due()

    async def _claim(self) -> list[Claimed]:
        async with self._sessions() as session, session.begin():
            return await Outbox(session).claim(self._clock.now(), self._channels, self._lease, BATCH)

    async def _recipients(self, user_ids: set[int]) -> dict[int, Recipient]:
        async with self._sessions() as session:
            rows = await session.execute(
                select(User.id, User.external_id, User.language, User.seen_language, User.blocked).where(
                    User.id.in_(user_ids)
                )
            )
            return {row.id: Recipient(*row) for row in rows.all()}

    async def _deliver(self, row: Claimed, recipient: Recipient | None, deadline: float) -> int:
        """Render and send one claimed row, then record the outcome; returns 1 when it was sent. A row
        whose send cannot start by ``deadline`` (epoch seconds) is handed back unsent."""
        if recipient is None or recipient.blocked:
            DELIVERIES.labels(row.channel, "skipped").inc()
            await self._record(lambda outbox: outbox.skip(row.id, "the recipient blocked the bot"))
            return 0
        try:
            replies = await self._render(row, recipient)
        except Exception as exc:
            log.exception("outbox message %s could not be rendered", row.id)
            DELIVERIES.labels(row.channel, "failed").inc()
            error = f"rendering: {exc}"
            await self._record(lambda outbox: outbox.fail(row.id, error))
            return 0
        try:
            async with self._slots:  # the slot is the send only: confirming overlaps the next sends
                with within(deadline):
                    message_id = await self._channels[row.channel].send(recipient.external_id, replies,
                                                                        priority=row.priority)  # fmt: skip
        except SendDeadline:
            log.info("outbox message %s had no slot within its lease; handed back", row.id)
            await self._record(lambda outbox: outbox.unclaim(row.id))
            return 0
        except RecipientUnreachable as exc:
            DELIVERIES.labels(row.channel, "unreachable").inc()
            USERS_BLOCKED.labels(row.channel).inc()
            await self._recipient_gone(row, str(exc))
            return 0
        except MessageRejected as exc:
            DELIVERIES.labels(row.channel, "failed").inc()
            error = str(exc)
            await self._record(lambda outbox: outbox.fail(row.id, error))
            return 0
        except Exception as exc:
            await self._retry(row, str(exc) or type(exc).__name__)
            return 0
        DELIVERIES.labels(row.channel, "sent").inc()
        OUTBOX_LATENESS.observe(max(0.0, (self._clock.now() - row.due_at).total_seconds()))
        shown_as_numbers = not self._channels[row.channel].has_buttons
        await self._confirm(row, message_id, replies if shown_as_numbers else None)
        return 1

    async def _render(self, row: Claimed, recipient: Recipient) -> list[Reply]:
        locale = self._catalogs.locale(reading_language(recipient.language, recipient.seen_language))
        with use_locale(locale), noting_stand_ins() as stand_ins:
            notice = Notice(locale, self._content(), self._clock.now())
            replies = await self._templates[row.template](row.params, notice)
            return with_stand_in_note(replies, stand_ins, locale)

    async def _confirm(self, row: Claimed, message_id: str | None, numbered: list[Reply] | None) -> None:
        """Mark a row sent, and remember the buttons it showed as numbers (``numbered``), if any.
        Confirmations are group-committed: whoever finds no write in progress writes every confirmation
        waiting, so a sent row waits for at most one other write before its own."""
        now = self._clock.now()
        self._confirmations.append({"row": row.id, "sent_at": now, "message_id": message_id})
        if numbered is not None:
            self._shown.append((row.user_id, numbered))
        async with self._confirming:
            if not self._confirmations:
                return  # written by the write we waited for
            batch, self._confirmations = self._confirmations, []
            shown, self._shown = self._shown, []
            async with self._sessions() as session, session.begin():
                await Outbox(session).mark_sent(batch)
                for user_id, replies in shown:
                    await ButtonMemory(session).remember(user_id, replies, now)

    async def _record(self, outcome: Callable[[Outbox], Awaitable[None]]) -> None:
        """Record the outcome of a send in a transaction of its own."""
        async with self._sessions() as session, session.begin():
            await outcome(Outbox(session))

    async def _retry(self, row: Claimed, error: str) -> None:
        """Try again later with a growing pause, or give up after ``MAX_ATTEMPTS``."""
        log.warning("outbox message %s failed (attempt %d): %s", row.id, row.attempts, error)
        DELIVERIES.labels(row.channel, "failed" if row.attempts >= MAX_ATTEMPTS else "retry").inc()
        if row.attempts >= MAX_ATTEMPTS:
            await self._record(lambda outbox: outbox.fail(row.id, error))
            return
        due = self._clock.now() + dt.timedelta(seconds=2**row.attempts)
        await self._record(lambda outbox: outbox.retry_at(row.id, due, error))

    async def _recipient_gone(self, row: Claimed, error: str) -> None:
        """The recipient blocked the bot: remember it, and stop every message waiting for them."""
        log.info("user %s is unreachable (%s); their messages are skipped", row.user_id, error)
        async with self._sessions() as session, session.begin():
            await People(session).unreachable(row.user_id)
            await Outbox(session).skip_everything_for(row.user_id, row.id, error)
