"""The people the bot talks to: first contact, roles from ``ADMINS``, language choice, reachability."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.languages import DEFAULT_LANGUAGE, Language, parse_language
from bot.db.models import User
from bot.db.repositories import Users


def reading_language(chosen: str | None, seen: str | None) -> Language:
    """The language a message the bot starts itself is written in: the recipient's own choice, else the
    language last seen from them, else English; never the sender's."""
    return parse_language(chosen) or parse_language(seen) or DEFAULT_LANGUAGE


class People:
    """Every change to a user's own row, on one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._users = Users(session)

    async def arrive(self, channel: str, external_id: str, *, display_name: str | None, seen_language: str | None,
                     now: dt.datetime, admin: bool) -> tuple[User, bool]:  # fmt: skip
        """The sender of a message, created on first contact (then True); ``admin`` when listed in ``ADMINS``."""
        return await self._users.load_or_create(
            channel, external_id, display_name=display_name, seen_language=seen_language, now=now, admin=admin
        )

    @staticmethod
    def saw_language(user: User, language: Language) -> None:
        """The platform's hint or the language the user writes in, kept for messages the bot starts itself."""
        if user.seen_language != language:
            user.seen_language = language

    @staticmethod
    def choose_language(user: User, language: Language) -> None:
        """The user's own choice, which outranks every hint."""
        user.language = language

    @staticmethod
    def subscribe(user: User, *, announcements: bool | None = None, bulletin: bool | None = None) -> None:
        """Join or leave announcements and the bulletin "Friendship and Cooperation" (None: unchanged)."""
        if announcements is not None:
            user.announcements = announcements
        if bulletin is not None:
            user.bulletin = bulletin

    @staticmethod
    def blocked(user: User) -> None:
        """The user blocked the bot: nothing more is sent to them."""
        user.blocked = True

    @staticmethod
    def reachable(user: User) -> None:
        """The user is back (unblocked the bot or sent /start)."""
        if user.blocked:
            user.blocked = False

    async def unreachable(self, user_id: int) -> None:
        """The platform refused a message to the user (they blocked the bot, or the chat is gone)."""
        await self._session.execute(update(User).where(User.id == user_id).values(blocked=True))
