"""Repositories: the queries handlers and services use, one class per table family."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Final

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SQLiteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.db.models import Base, DialogState, Role, User

LAST_SEEN_STEP: Final = dt.timedelta(minutes=5)
_CREATE_USER: dict[str, Any] = {}
"""The ``INSERT … ON CONFLICT DO NOTHING RETURNING`` of a new user, per database dialect."""


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
        self,
        channel: str,
        external_id: str,
        *,
        display_name: str | None,
        seen_language: str | None,
        now: dt.datetime,
        admin: bool,
    ) -> tuple[User, bool]:
        """The user (with their dialog state), created on first contact; True when created now.

        Creating is one ``INSERT … ON CONFLICT DO NOTHING RETURNING``, so two processes meeting a new user
        at the same moment end with one row. Last-seen moves in steps of ``LAST_SEEN_STEP`` so that
        reading a message does not have to write."""
        name = display_name[:128] if display_name else None
        role = Role.ADMIN if admin else Role.USER
        user = await self.find(channel, external_id)
        if user is None:
            user = await self._create(
                channel=channel, external_id=external_id, display_name=name, seen_language=seen_language,
                role=role, created_at=now, last_seen_at=now, blocked=False,
            )  # fmt: skip
            if user is not None:
                return user, True
            user = await self.find(channel, external_id)  # another process created it meanwhile
            assert user is not None
        if now - user.last_seen_at >= LAST_SEEN_STEP:
            user.last_seen_at = now
        if name and user.display_name != name:
            user.display_name = name
        if admin or user.role == Role.ADMIN:
            role = Role.ADMIN if admin else Role.USER  # added to or removed from ADMINS
            if user.role != role:
                user.role = role
        return user, False

    async def _create(self, **values: Any) -> User | None:
        """Insert a user and return it, or None when the row already exists."""
        dialect = self._session.get_bind().dialect.name
        statement = _CREATE_USER.get(dialect)
        if statement is None:  # built once per database: a first contact then costs no statement building
            columns: dict[str, Any] = {name: bindparam(name) for name in values}  # the same names every time
            statement = insert_ignoring_duplicates(self._session, User).values(columns).returning(User)
            _CREATE_USER[dialect] = statement
        result = await self._session.scalars(statement, values, execution_options={"populate_existing": True})
        user = result.one_or_none()
        if user is not None:
            set_committed_value(user, "dialog_state", None)  # a new user is in no dialog
        return user


class Dialogs:
    """Dialog state per user, in the database so it survives restarts and is shared by processes."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def load(user: User) -> tuple[str | None, dict[str, Any]]:
        """The user's state name and data (loaded with the user); (None, {}) when not in a dialog."""
        row = user.dialog_state
        return (row.state, copy.deepcopy(row.data)) if row is not None else (None, {})

    @staticmethod
    def save(user: User, state: str | None, data: dict[str, Any], now: dt.datetime) -> None:
        """Store the state, or forget it when ``state`` is None."""
        if state is None:
            user.dialog_state = None
        elif user.dialog_state is None:
            user.dialog_state = DialogState(state=state, data=copy.deepcopy(data), updated_at=now)
        else:
            row = user.dialog_state
            row.state, row.data, row.updated_at = state, copy.deepcopy(data), now


def dialect_insert(session: AsyncSession, model: type[Base]) -> PostgresInsert | SQLiteInsert:
    """``INSERT`` with the ``ON CONFLICT`` clauses of the session's database (SQLite or PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    return postgresql_insert(model) if dialect == "postgresql" else sqlite_insert(model)


def insert_ignoring_duplicates(session: AsyncSession, model: type[Base]) -> PostgresInsert | SQLiteInsert:
    """``INSERT … ON CONFLICT DO NOTHING`` for the session's database."""
    return dialect_insert(session, model).on_conflict_do_nothing()
