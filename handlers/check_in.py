"""Checking a ticket in: staff scan its QR code (``/start checkin-CODE``) or type ``/checkin CODE``; anyone
else who scans it is told what it is."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import _, ngettext
from bot.core.messages import Incoming, Reply
from bot.core.router import Router
from bot.services.tickets import CHECK_IN_PREFIX
from handlers.menu import home_button
from handlers.registration import offering_title

CHECK_IN = "checkin"

router = Router(name="check_in")


@router.command(CHECK_IN)
@router.button(CHECK_IN)
async def check_in(message: Incoming, ctx: Context) -> list[Reply]:
    """Check in a ticket (typed with /checkin CODE, or scanned: the QR opens /start checkin-CODE)."""
    if not ctx.user.is_staff:
        return [Reply(_("This is a HAUFO ticket. Only staff can check it in; please show it at the meeting point."),
                      ((home_button(),),))]  # fmt: skip
    code = message.args[0].removeprefix(CHECK_IN_PREFIX) if message.args else ""
    result = await ctx.registrations.check_ins.check_in(code)
    registration = result.registration
    if registration is None:
        return [Reply(_("❌ This ticket is not valid."))]
    name = registration.details.get("name", "—")
    if result.earlier is not None:
        when = ctx.locale.datetime(result.earlier)
        return [Reply(_("⚠️ {name} was already checked in at {time}.", name=name, time=when))]
    ctx.audit.record(ctx.user, "check-in", f"registration:{registration.id}")
    title = offering_title(ctx, registration.offering_id)
    text = ngettext("✅ Checked in: {name}, {n} seat, {title}.", "✅ Checked in: {name}, {n} seats, {title}.",
                    registration.seats, name=name, title=title)  # fmt: skip
    return [Reply(text)]
