"""A web chat visitor continues on another app: a signed code in a link that opens that app (Telegram's
``?start=web-…``) joins the two accounts, and from then on the messages the bot starts (reminders, offers,
staff replies, announcements) go to that app; those already waiting move there too."""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.signing import stamped, stamped_subject
from bot.db.models import AccountLink, OutboxMessage, OutboxStatus, User

LIFETIME: Final = dt.timedelta(minutes=15)
SIGNATURE_LENGTH: Final = 16
LINKED_CHANNELS: Final = frozenset({"webchat"})
"""Whose accounts may be linked to another app (the others are reached where they are)."""


def link_code(user_id: int, key: bytes, now: dt.datetime) -> str:
    """The code (``<user>-<expiry>-<signature>``, fit for a Telegram start parameter) that links ``user_id``."""
    expires = int((now + LIFETIME).timestamp())
    return stamped(str(user_id), "link", expires, key, length=SIGNATURE_LENGTH, separator="-")


def linked_from(code: str, key: bytes, now: dt.datetime) -> int | None:
    """The user a code links, while it stands; None for a forged, altered or lapsed one."""
    user = stamped_subject(code, "link", key, now.timestamp(), length=SIGNATURE_LENGTH, separator="-")
    return int(user) if user is not None and user.isascii() and user.isdecimal() else None


class Links:
    """Linked accounts, on one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def visitor(self, user_id: int) -> User | None:
        """The web chat visitor with this id (None for anyone else)."""
        user = await self._session.get(User, user_id)
        return user if user is not None and user.channel in LINKED_CHANNELS else None

    async def link(self, visitor: User, other: User, now: dt.datetime) -> None:
        """From now on, what the bot starts for ``visitor`` goes to ``other``; what waits moves there."""
        link = await self._session.get(AccountLink, visitor.id)
        if link is None:
            self._session.add(AccountLink(user_id=visitor.id, linked_user_id=other.id, linked_at=now))
        else:
            link.linked_user_id, link.linked_at = other.id, now
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.user_id == visitor.id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(user_id=other.id, channel=other.channel)
        )

    async def recipient(self, user: User) -> User:
        """Who gets the messages the bot starts for ``user``: their linked account, if they have one."""
        if user.channel not in LINKED_CHANNELS:
            return user
        link = await self._session.get(AccountLink, user.id)
        linked = await self._session.get(User, link.linked_user_id) if link is not None else None
        return linked if linked is not None else user
