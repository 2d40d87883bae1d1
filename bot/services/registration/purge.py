"""Erasing registrations' personal data some time after their offering ended; the counts stay."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.content import Content
from bot.db.models import Registration
from bot.services.offerings import ends_at, offering


async def purge_personal_data(session: AsyncSession, content: Content, zone: ZoneInfo, now: dt.datetime,
                              after: dt.timedelta) -> int:  # fmt: skip
    """Erase the personal data of registrations whose offering ended more than ``after`` before ``now``;
    returns how many."""
    ended = [
        offering_id
        for offering_id in [*content.tours.ids(), *content.courses.ids()]
        if ends_at(offering(content, offering_id), zone) + after <= now
    ]
    if not ended:
        return 0
    result = await session.scalars(
        select(Registration).where(Registration.offering_id.in_(ended), Registration.erased_at.is_(None))
    )
    erased = 0
    for registration in result.all():
        registration.details, registration.ticket_code, registration.erased_at = {}, None, now
        erased += 1
    return erased
