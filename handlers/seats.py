"""The seats of a course or tour as its card shows them: how many are left now, from the registrations."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import _


async def seats_line(ctx: Context, offering_id: str, capacity: int) -> str:
    """ "Seats left: 12 of 40", or that the offering is full and the waiting list open."""
    left = await ctx.registrations.seats.left(offering_id)
    if left <= 0:
        return _("💺 Fully booked ({n} seats): you can join the waiting list.", n=capacity)
    return _("💺 Seats left: {left} of {n}", left=left, n=capacity)
