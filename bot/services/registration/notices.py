"""Telling a registration's owner what happened to it (an offer, its lapse, approval), through the outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Registration, User
from bot.services.outbox import Outbox


async def tell_owner(session: AsyncSession, registration: Registration, template: str, now: dt.datetime,
                     **params: Any) -> None:  # fmt: skip
    """Queue ``template`` about ``registration`` to its owner; an offer is useless once it has lapsed."""
    user = await session.get(User, registration.user_id)
    if user is None:
        return
    params |= {"registration": registration.id, "offering": registration.offering_id}
    key = f"{template}:{registration.id}:{params.get('expires_at', '')}"
    expires = registration.offer_expires_at if template == "offer" else None
    await Outbox(session).enqueue(user, template, params, due_at=now, dedup_key=key,
                                  subject=f"registration:{registration.id}", expires_at=expires)  # fmt: skip
