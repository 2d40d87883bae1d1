"""The team: who is staff. Administrators come from ``ADMINS``; they grant and revoke the staff role (by the
person's id, a forwarded message, or a one-time invite link), and every change is in the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from enum import StrEnum
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.db.models import Role, StaffInvite, User
from bot.services.audit import Audit

INVITE_LIFETIME: Final = dt.timedelta(hours=48)
INVITE_PREFIX: Final = "staff-"


class Joined(StrEnum):
    """What opening an invite link did."""

    JOINED = "joined"
    ALREADY = "already"
    INVALID = "invalid"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def reachable_staff(session: AsyncSession) -> list[User]:
    """Administrators and staff who have not blocked the bot, in the order they first wrote to it."""
    staff = await session.scalars(
        select(User).where(User.role.in_([Role.STAFF, Role.ADMIN]), User.blocked.is_(False)).order_by(User.id)
    )
    return list(staff.all())


class Team:
    """Roles on one database session; every operation checks that its actor may make it."""

    def __init__(self, session: AsyncSession, clock: Clock, audit: Audit) -> None:
        self._session = session
        self._clock = clock
        self._audit = audit

    async def members(self) -> list[User]:
        """Administrators, then staff, in the order they first wrote to the bot."""
        result = await self._session.scalars(
            select(User).where(User.role.in_([Role.ADMIN, Role.STAFF])).order_by(User.role, User.id)
        )
        return list(result.all())

    async def person(self, channel: str, external_id: str) -> User | None:
        """Someone who has written to the bot on ``channel``."""
        result = await self._session.scalars(
            select(User).where(User.channel == channel, User.external_id == external_id)
        )
        return result.one_or_none()

    async def grant(self, admin: User, person: User) -> bool:
        """Make ``person`` staff; False when they already are (or are an administrator)."""
        if admin.role != Role.ADMIN:
            raise PermissionError("only administrators manage the team")
        if person.role != Role.USER:
            return False
        person.role = Role.STAFF
        self._audit.record(admin, "grant-staff", f"user:{person.id}")
        return True

    async def revoke(self, admin: User, person_id: int) -> User | None:
        """Take the staff role back; None when the person is not staff (already revoked, or an
        administrator, who is one by ``ADMINS``)."""
        if admin.role != Role.ADMIN:
            raise PermissionError("only administrators manage the team")
        result = await self._session.execute(
            update(User).where(User.id == person_id, User.role == Role.STAFF).values(role=Role.USER).returning(User.id)
        )
        if result.scalar_one_or_none() is None:
            return None
        self._audit.record(admin, "revoke-staff", f"user:{person_id}")
        return await self._session.get(User, person_id, populate_existing=True)

    async def invite(self, admin: User) -> str:
        """A new one-time token, valid for ``INVITE_LIFETIME``: ``/start staff-<token>`` makes its first
        user staff."""
        if admin.role != Role.ADMIN:
            raise PermissionError("only administrators manage the team")
        token = secrets.token_urlsafe(18)
        self._session.add(StaffInvite(token_hash=_hash(token), created_by=admin.id,
                                      expires_at=self._clock.now() + INVITE_LIFETIME))  # fmt: skip
        self._audit.record(admin, "invite-staff", "team")
        return token

    async def join(self, person: User, token: str) -> Joined:
        """Use an invite: once, before it lapses; a used, lapsed or forged token changes nothing."""
        now = self._clock.now()
        result = await self._session.execute(
            update(StaffInvite)
            .where(StaffInvite.token_hash == _hash(token), StaffInvite.used_at.is_(None), StaffInvite.expires_at > now)
            .values(used_by=person.id, used_at=now)
            .returning(StaffInvite.created_by)
        )
        inviter_id = result.scalar_one_or_none()
        if inviter_id is None:
            return Joined.INVALID
        if person.role != Role.USER:
            return Joined.ALREADY
        person.role = Role.STAFF
        inviter = await self._session.get(User, inviter_id)
        self._audit.record(inviter or person, "grant-staff", f"user:{person.id}", by="invite")
        return Joined.JOINED
