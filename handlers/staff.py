"""Staff tools in chat: who is coming, approvals, exports. Every action is audited; the whole router is for
staff only (its guard)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable

from bot.conversation import Context
from bot.core.i18n import _, ngettext
from bot.core.messages import Attachment, Button, Incoming, InvalidPayload, Reply, make_payload
from bot.core.router import Router
from bot.services.exports import to_csv, to_xlsx
from bot.services.records import Registration, RegistrationStatus, Role
from handlers.menu import home_button
from handlers.registration import STATUS_NAMES, offering_title
from handlers.team import TEAM

MENU, OFFERING, PENDING, DECIDE, CSV, XLSX = "staff", "staffoff", "staffpend", "staffdecide", "staffcsv", "staffxlsx"


async def staff_only(message: Incoming, ctx: Context) -> list[Reply] | None:
    """The guard of the staff's routers: everyone but staff and administrators is refused, in their language."""
    if ctx.user.is_staff:
        return None
    return [Reply(_("Sorry, this is only for HAUFO staff."), ((home_button(),),))]


router = Router(name="staff", guard=staff_only)


def _offering_id(message: Incoming, ctx: Context) -> str:
    offering_id = message.arg(0)
    if offering_id not in ctx.content.tours.items and offering_id not in ctx.content.courses.items:
        raise InvalidPayload(f"no offering {offering_id!r}")
    return offering_id


@router.command("staff")
@router.button(MENU)
async def staff_menu(message: Incoming, ctx: Context) -> list[Reply]:
    """Every course and tour with its seats left."""
    rows: list[tuple[Button, ...]] = []
    lines = [_("🛠 Staff: courses and tours"), ""]
    for offering_id in [*ctx.content.courses.ids(), *ctx.content.tours.ids()]:
        title = offering_title(ctx, offering_id)
        left = await ctx.registrations.seats.left(offering_id)
        lines.append(ngettext("{title}: {n} seat left", "{title}: {n} seats left", left, title=title))
        rows.append((Button(title, make_payload(OFFERING, offering_id)),))
    rows.append((Button(_("📣 New announcement"), "bc"), Button(_("🗓 Scheduled broadcasts"), "bclist")))
    rows.append((Button(_("🧩 Quiz"), "sqz"),))
    if ctx.user.role == Role.ADMIN:
        rows.append((Button(_("👥 Team"), TEAM),))
    rows.append((home_button(),))
    return [Reply("\n".join(lines), tuple(rows))]


def _counts(registrations: list[Registration]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for registration in registrations:
        counts[registration.status] += registration.seats
        if registration.checked_in_at is not None:
            counts["checked_in"] += registration.seats
    return counts


@router.button(OFFERING)
async def staff_offering(message: Incoming, ctx: Context) -> list[Reply]:
    """Counts of one offering, the list of names, and what staff can do with it."""
    offering_id = _offering_id(message, ctx)
    registrations = await ctx.registrations.of_offering(offering_id)
    counts = _counts(registrations)
    title = offering_title(ctx, offering_id)
    lines = [f"🛠 {title}", _("Seats by status:")]
    lines += [f"{_(STATUS_NAMES[status])}: {counts[status]}" for status in RegistrationStatus]
    lines += [
        _("🎫 checked in: {n}", n=counts["checked_in"]),
        _("💺 free: {n}", n=await ctx.registrations.seats.left(offering_id)),
        "",
    ]
    for registration in registrations:
        if registration.status != RegistrationStatus.CANCELLED:
            name = registration.details.get("name", "—")
            status = _(STATUS_NAMES[RegistrationStatus(registration.status)])
            lines.append(f"#{registration.id} {name} ({registration.seats}) {status}")
    rows = [
        (Button(_("⏳ Approvals"), make_payload(PENDING, offering_id)),),
        (Button("CSV", make_payload(CSV, offering_id)), Button("XLSX", make_payload(XLSX, offering_id))),
        (Button(_("◀ All courses and tours"), MENU), home_button()),
    ]
    return [Reply("\n".join(lines), tuple(rows))]


@router.button(PENDING)
async def staff_pending(message: Incoming, ctx: Context) -> list[Reply]:
    """Registrations waiting for approval, each with Approve and Decline."""
    offering_id = _offering_id(message, ctx)
    pending = [r for r in await ctx.registrations.of_offering(offering_id) if r.status == RegistrationStatus.PENDING]
    if not pending:
        back = Button(_("◀ Back"), make_payload(OFFERING, offering_id))
        return [Reply(_("Nobody is waiting for approval."), ((back,),))]
    replies = []
    for registration in pending:
        details = registration.details
        text = f"#{registration.id} {details.get('name', '—')}, {details.get('organisation', '')}, " \
               f"{details.get('position', '')}, {details.get('email', '')}"  # fmt: skip
        replies.append(Reply(text, ((
            Button(_("✅ Approve"), make_payload(DECIDE, registration.id, "yes")),
            Button(_("✖ Turn down"), make_payload(DECIDE, registration.id, "no")),
        ),)))  # fmt: skip
    return replies


@router.button(DECIDE)
async def staff_decide(message: Incoming, ctx: Context) -> list[Reply]:
    """Approve or decline one pending registration; the person is told either way."""
    registration = await ctx.registrations.get(message.int_arg(0, maximum=2**31))
    decision = message.arg(1)
    if registration is None or decision not in ("yes", "no"):
        raise InvalidPayload("no such registration or decision")
    if registration.status != RegistrationStatus.PENDING:
        status = _(STATUS_NAMES[RegistrationStatus(registration.status)])
        return [Reply(_("This registration was already decided: {status}.", status=status))]
    if decision == "yes":
        await ctx.registrations.approve(registration)
    else:
        await ctx.registrations.reject(registration)
    ctx.audit.record(ctx.user, "approve" if decision == "yes" else "decline", f"registration:{registration.id}")
    status = _(STATUS_NAMES[RegistrationStatus(registration.status)])
    return [Reply(_("Done: #{id} is now {status}.", id=registration.id, status=status),
                  ((Button(_("◀ Back"), make_payload(PENDING, registration.offering_id)),),))]  # fmt: skip


def _export(kind: str) -> Callable[[Incoming, Context], Awaitable[list[Reply]]]:
    async def export(message: Incoming, ctx: Context) -> list[Reply]:
        offering_id = _offering_id(message, ctx)
        registrations = await ctx.registrations.of_offering(offering_id)
        zone = ctx.locale.timezone
        if kind == "csv":
            attachment = Attachment(f"{offering_id}.csv", to_csv(registrations, zone), "text/csv")
        else:
            content = to_xlsx(registrations, zone, offering_id)
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            attachment = Attachment(f"{offering_id}.xlsx", content, mime)
        ctx.audit.record(ctx.user, f"export-{kind}", f"offering:{offering_id}", rows=len(registrations))
        return [Reply(_("The list of {title}.", title=offering_title(ctx, offering_id)),
                      attachment=attachment)]  # fmt: skip

    return export


router.button(CSV)(_export("csv"))
router.button(XLSX)(_export("xlsx"))
