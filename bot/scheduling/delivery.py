"""The delivery loop: claims due outbox rows, renders them in the recipient's language, sends them."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import Channel
from bot.core.clock import Clock
from bot.core.content import Content
from bot.core.i18n import Catalogs, Locale, use_locale
from bot.core.languages import DEFAULT_LANGUAGE, parse_language
from bot.core.messages import Reply
from bot.db.models import OutboxMessage, OutboxStatus, User
from bot.scheduling.repeat import repeat

log = logging.getLogger(__name__)

MAX_ATTEMPTS: Final = 5
BATCH: Final = 100
POLL_SECONDS: Final = 1.0


@dataclass(frozen=True)
class Notice:
    """What a template needs to render: the recipient's locale and the content."""

    locale: Locale
    content: Content


Template = Callable[[dict[str, Any], Notice], Awaitable[list[Reply]]]


def recipient_language(user: User) -> str:
    """The language a message the bot starts itself is written in: the recipient's, never the sender's."""
    return parse_language(user.language) or parse_language(user.seen_language) or DEFAULT_LANGUAGE


class Delivery:
    """Sends due outbox rows through their channel."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalogs: Catalogs,
        content: Callable[[], Content],
        templates: Mapping[str, Template],
        channels: Mapping[str, Channel],
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._catalogs = catalogs
        self._content = content
        self._templates = templates
        self._channels = channels
        self._clock = clock

    async def run(self, stop: asyncio.Event) -> None:
        """Repeat until ``stop`` is set."""
        await repeat(self.send_due, every=POLL_SECONDS, stop=stop)

    async def _claim(self) -> Sequence[OutboxMessage]:
        """Mark due rows as being sent, so that no other process sends them too."""
        async with self._sessions() as session, session.begin():
            rows = (
                await session.scalars(
                    select(OutboxMessage)
                    .where(
                        OutboxMessage.status == OutboxStatus.PENDING,
                        OutboxMessage.due_at <= self._clock.now(),
                        OutboxMessage.channel.in_(list(self._channels)),
                    )
                    .order_by(OutboxMessage.due_at, OutboxMessage.id)
                    .limit(BATCH)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                row.status = OutboxStatus.SENDING
                row.attempts += 1
            return rows

    async def send_due(self) -> int:
        """Send every due row; returns how many were sent."""
        sent = 0
        for row in await self._claim():
            sent += await self._deliver(row)
        return sent

    async def _deliver(self, row: OutboxMessage) -> int:
        """Render and send one claimed row, then record the outcome; the database is not held while sending."""
        async with self._sessions() as session:
            user = await session.get(User, row.user_id)
        error: str | None = None
        if user is not None and not user.blocked:
            try:
                locale = self._catalogs.locale(recipient_language(user))  # type: ignore[arg-type]
                with use_locale(locale):
                    replies = await self._templates[row.template](row.params, Notice(locale, self._content()))
                await self._channels[row.channel].send(user.external_id, replies)
            except Exception as exc:
                log.warning("outbox message %s failed: %s", row.id, exc)
                error = str(exc)[:500] or type(exc).__name__
        async with self._sessions() as session, session.begin():
            message = await session.get(OutboxMessage, row.id)
            if message is None:
                return 0
            if user is None or user.blocked:
                message.status = OutboxStatus.SKIPPED
                return 0
            if error is not None:
                message.last_error = error
                message.status = OutboxStatus.FAILED if message.attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
                message.due_at = self._clock.now() + dt.timedelta(seconds=2**message.attempts)
                return 0
            message.status, message.sent_at = OutboxStatus.SENT, self._clock.now()
            return 1
