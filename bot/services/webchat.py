"""Web chat conversations, kept on the server: a reload, another tab or the next day shows the history. Each
visitor keeps the last ``KEPT`` messages; the ids increase, so a stream resumes after the last one it sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User, WebchatMessage
from bot.db.repositories import Users

KEPT: Final = 200
"""Messages kept per visitor: older ones are dropped as new ones come."""


@dataclass(frozen=True)
class Entry:
    """One message of a conversation as the widget draws it."""

    id: int
    sender: str
    body: dict[str, Any]


def _entry(row: WebchatMessage) -> Entry:
    return Entry(row.id, row.sender, row.body)


class Transcripts:
    """The web chat conversations, on one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def visitor(self, channel: str, external_id: str) -> User | None:
        """The visitor with this id, once they have written."""
        return await Users(self._session).find(channel, external_id)

    async def add(self, user_id: int, messages: Sequence[tuple[str, dict[str, Any]]], now: dt.datetime) -> int | None:
        """Append ``(sender, body)`` messages in order; returns the last one's id. The visitor's oldest messages
        beyond ``KEPT`` go."""
        rows = [WebchatMessage(user_id=user_id, sender=sender, body=body, created_at=now) for sender, body in messages]
        if not rows:
            return None
        self._session.add_all(rows)
        await self._session.flush()
        oldest_kept = await self._session.scalar(
            select(WebchatMessage.id).where(WebchatMessage.user_id == user_id)
            .order_by(WebchatMessage.id.desc()).offset(KEPT - 1).limit(1)
        )  # fmt: skip
        if oldest_kept is not None:
            await self._session.execute(
                delete(WebchatMessage).where(WebchatMessage.user_id == user_id, WebchatMessage.id < oldest_kept)
            )
        return rows[-1].id

    async def after(self, user_id: int, after_id: int) -> list[Entry]:
        """The messages after ``after_id`` (0: the whole kept history), oldest first."""
        rows = await self._session.scalars(
            select(WebchatMessage).where(WebchatMessage.user_id == user_id, WebchatMessage.id > after_id)
            .order_by(WebchatMessage.id).limit(KEPT)
        )  # fmt: skip
        return [_entry(row) for row in rows.all()]

    async def clear(self, user_id: int) -> None:
        """Forget the conversation (the visitor asked to clear it, or to be forgotten)."""
        await self._session.execute(delete(WebchatMessage).where(WebchatMessage.user_id == user_id))

    async def forget_before(self, cutoff: dt.datetime) -> int:
        """Drop messages older than ``cutoff``; returns how many."""
        result = await self._session.execute(delete(WebchatMessage).where(WebchatMessage.created_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)
