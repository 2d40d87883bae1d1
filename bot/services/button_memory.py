"""The buttons last shown to each user of a platform without buttons, kept in the database so that a typed
number presses the right one after a restart, on another worker, and for messages the outbox delivered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Button, Reply
from bot.core.numbered import pressable, pressed
from bot.db.models import ShownButtons


class ButtonMemory:
    """Remembers and presses shown buttons, on one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def remember(self, user_id: int, replies: Sequence[Reply], now: dt.datetime) -> None:
        """The buttons of ``replies`` are now the ones the user can press; replies without any keep the
        buttons shown before (a typed number always means the latest message that showed buttons)."""
        buttons: list[Button] = pressable(replies)
        if not buttons:
            return
        pairs = [[button.label, button.payload or ""] for button in buttons]
        row = await self._session.get(ShownButtons, user_id)
        if row is None:
            self._session.add(ShownButtons(user_id=user_id, buttons=pairs, shown_at=now))
        else:
            row.buttons, row.shown_at = pairs, now

    async def press(self, user_id: int, text: str) -> str | None:
        """The payload of the button ``text`` presses (a number or an exact label), if any."""
        row = await self._session.get(ShownButtons, user_id)
        if row is None:
            return None
        return pressed(text, [(label, payload) for label, payload in row.buttons])

    async def forget(self, user_id: int) -> None:
        """Drop what was shown (the user asked to be forgotten)."""
        await self._session.execute(delete(ShownButtons).where(ShownButtons.user_id == user_id))
