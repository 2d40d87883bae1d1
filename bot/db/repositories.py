"""Repositories: the queries handlers and services use, one class per table family."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DialogState, Role, User


class Users:
    """People on every channel."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find(self, channel: str, external_id: str) -> User | None:
        """The user ``external_id`` of ``channel``, if known."""
        result = await self._session.execute(
            select(User).where(User.channel == channel, User.external_id == external_id)
        )
        return result.scalar_one_or_none()

    async def load_or_create(
        self, channel: str, external_id: str, *, display_name: str | None, now: dt.datetime, admin: bool
    ) -> tuple[User, bool]:
        """The user, created on first contact; returns (user, created). Marks last-seen and admin role."""
        user = await self.find(channel, external_id)
        created = user is None
        if user is None:
            user = User(channel=channel, external_id=external_id, role=Role.USER, created_at=now, blocked=False)
            try:
                async with self._session.begin_nested():
                    self._session.add(user)
                    user.last_seen_at = now
                    await self._session.flush()
            except IntegrityError:  # another process created it at the same moment
                user = await self.find(channel, external_id)
                if user is None:
                    raise
                created = False
        user.last_seen_at = now
        if display_name:
            user.display_name = display_name[:128]
        if admin:
            user.role = Role.ADMIN
        elif user.role == Role.ADMIN:
            user.role = Role.USER  # removed from ADMINS
        return user, created


class Dialogs:
    """Dialog state per user, in the database so it survives restarts and is shared by processes."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def load(self, user_id: int) -> tuple[str | None, dict[str, Any]]:
        """The user's state name and data; (None, {}) when not in a dialog."""
        row = await self._session.get(DialogState, user_id)
        return (row.state, dict(row.data)) if row is not None else (None, {})

    async def save(self, user_id: int, state: str | None, data: dict[str, Any], now: dt.datetime) -> None:
        """Store the state, or forget it when ``state`` is None."""
        if state is None:
            await self._session.execute(delete(DialogState).where(DialogState.user_id == user_id))
            return
        row = await self._session.get(DialogState, user_id)
        if row is None:
            self._session.add(DialogState(user_id=user_id, state=state, data=data, updated_at=now))
        else:
            row.state, row.data, row.updated_at = state, data, now


class Repository:
    """Every repository, on one session (one unit of work per message)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = Users(session)
        self.dialogs = Dialogs(session)
