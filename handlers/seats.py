"""The seats of a course or tour as its card shows them, from the registrations at that moment: how many are
left, and where the reader's own registration stands."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import _
from bot.services.records import RegistrationStatus
from handlers.registration import STATUS_NAMES


async def availability(ctx: Context, offering_id: str, capacity: int) -> str:
    """ "Seats left: 12 of 40" (or full, the waiting list open); then the reader's own registration, if any."""
    left = await ctx.registrations.seats.left(offering_id)
    if left <= 0:
        lines = [_("💺 Fully booked ({n} seats): you can join the waiting list.", n=capacity)]
    else:
        lines = [_("💺 Seats left: {left} of {n}", left=left, n=capacity)]
    own = [r for r in await ctx.registrations.of_user(ctx.user.id) if r.offering_id == offering_id]
    if own:  # active ones come first
        status = RegistrationStatus(own[0].status)
        if status == RegistrationStatus.WAITING:
            position = await ctx.registrations.waiting_list.position(own[0])
            lines.append(_("📋 Your registration: on the waiting list, number {position}", position=position))
        else:
            lines.append(_("📋 Your registration: {status}", status=_(STATUS_NAMES[status])))
    return "\n".join(lines)
