"""The native polls the bot sent (Telegram quiz questions) and the payload each option stands for, kept in
the database: the answer arrives with the poll's id only, maybe at another worker or after a restart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SentPoll


class SentPolls:
    """Sent polls, on one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def remember(self, channel: str, poll_id: str, payloads: Sequence[str], now: dt.datetime) -> None:
        """Keep a poll's option payloads, in order."""
        await self._session.merge(SentPoll(channel=channel, poll_id=poll_id, payloads=list(payloads), sent_at=now))

    async def recall(self, channel: str, poll_id: str) -> list[str] | None:
        """A poll's option payloads, if it is known."""
        row = await self._session.get(SentPoll, (channel, poll_id))
        return list(row.payloads) if row is not None else None

    async def forget_before(self, cutoff: dt.datetime) -> int:
        """Drop polls sent before ``cutoff`` (long closed); returns how many."""
        result = await self._session.execute(delete(SentPoll).where(SentPoll.sent_at < cutoff))
        return int(result.rowcount)  # type: ignore[attr-defined]
