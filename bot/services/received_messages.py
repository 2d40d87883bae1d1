"""Messages received from a platform that may deliver one twice (Zalo has no update ids): each message id
is remembered once, in the database, so a repeat is skipped on any worker and after a restart."""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ReceivedMessage
from bot.db.repositories import insert_ignoring_duplicates

KEPT: Final = dt.timedelta(days=7)
"""How long a message id is remembered (Zalo repeats within seconds)."""


class ReceivedMessages:
    """The message ids already received, per channel."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def first_time(self, channel: str, message_id: str, now: dt.datetime) -> bool:
        """Remember ``message_id``; True unless it was remembered before."""
        result = await self._session.execute(
            insert_ignoring_duplicates(self._session, ReceivedMessage).values(
                channel=channel, message_id=message_id[:64], received_at=now
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def forget_before(self, moment: dt.datetime) -> int:
        """Forget the ids received before ``moment``; returns how many."""
        result = await self._session.execute(delete(ReceivedMessage).where(ReceivedMessage.received_at < moment))
        return int(getattr(result, "rowcount", 0) or 0)
