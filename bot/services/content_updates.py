"""The database following the published content, at start-up and after each reload: seats the content
added are offered, moved times are announced (their reminders move too), and staff hear how a reload went."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.content import Content
from bot.core.problems import Problem
from bot.db.locks import START_UP, hold
from bot.services.outbox import Outbox
from bot.services.registration import Registrations, Rules
from bot.services.reminders import ContentChanges
from bot.services.seats import Seats
from bot.services.team import reachable_staff

CONTENT_REJECTED: Final = "content_rejected"
CONTENT_RELOADED: Final = "content_reloaded"
PROBLEMS_SHOWN: Final = 8
"""Problems listed in the staff's message; the rest are counted (``haufo-bot content check`` lists all)."""
USEFUL_FOR: Final = dt.timedelta(days=1)


async def follow_content(session: AsyncSession, content: Content, clock: Clock, zone: ZoneInfo, rules: Rules) -> int:
    """Bring the database in line with ``content``: offer the seats a raised capacity added, and tell the
    people whose tour, course or event moved (their reminders move with it). Returns how many were told.
    Processes take turns (``START_UP``): the later ones find the work done, and nobody is told twice."""
    await hold(session, START_UP)
    registrations = Registrations(session, content, clock, zone, rules)
    for grown in await Seats(session).sync(content):
        await registrations.waiting_list.offer_freed(grown)
    return await ContentChanges(session, content, clock, zone, registrations.reminders).follow()


async def tell_staff_rejected(
    session: AsyncSession, version: str, problems: Sequence[Problem], now: dt.datetime
) -> int:
    """Tell every staff member that the content folder at ``version`` was not published, and why."""
    shown = [
        {"file": p.file, "key": p.key, "kind": p.kind.value, "detail": p.detail} for p in problems[:PROBLEMS_SHOWN]
    ]
    return await _tell_staff(session, CONTENT_REJECTED, {"problems": shown, "more": len(problems) - len(shown)},
                             version, now)  # fmt: skip


async def tell_staff_reloaded(
    session: AsyncSession, version: str, files: Sequence[str], told: int, now: dt.datetime
) -> int:
    """Tell every staff member that the content folder at ``version`` is published: which files changed,
    and how many people were told of a new time."""
    return await _tell_staff(session, CONTENT_RELOADED, {"files": list(files), "told": told}, version, now)


async def _tell_staff(session: AsyncSession, template: str, params: dict[str, Any], version: str,
                      now: dt.datetime) -> int:  # fmt: skip
    """Queue ``template`` for each staff member once per content version, whichever process gets there."""
    outbox, members = Outbox(session), await reachable_staff(session)
    for member in members:
        await outbox.enqueue(member, template, params, due_at=now, dedup_key=f"{template}:{version}:{member.id}",
                             expires_at=now + USEFUL_FOR)  # fmt: skip
    return len(members)
