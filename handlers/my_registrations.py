"""My registrations: status, seats, waiting-list position, cancelling, and answering offers."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import _, ngettext
from bot.core.messages import Attachment, Button, Incoming, InvalidPayload, Reply, make_payload
from bot.core.router import Router
from bot.services.offerings import offering
from bot.services.records import ACTIVE_STATUSES, Registration, RegistrationStatus
from bot.services.tickets import calendar_file, ticket_image, ticket_link
from handlers.menu import home_button
from handlers.registration import STATUS_NAMES, my_button, offering_title, outcome_text

router = Router(name="my_registrations")

LIST, SHOW, CANCEL, OFFER, CALENDAR, TICKET, REMINDERS, COMING = (
    "my", "myreg", "mycancel", "offer", "myics", "myticket", "myremind", "coming",
)  # fmt: skip


async def _own(message: Incoming, ctx: Context) -> Registration:
    """The registration a button names, if it is the user's own; anything else is a forged button."""
    registration = await ctx.registrations.get(message.int_arg(0, maximum=2**31))
    if registration is None or registration.user_id != ctx.user.id:
        raise InvalidPayload("not the user's registration")
    return registration


@router.command("my")
@router.button(LIST)
async def my_registrations(message: Incoming, ctx: Context) -> list[Reply]:
    """Every registration of the user, active ones first."""
    registrations = await ctx.registrations.of_user(ctx.user.id)
    if not registrations:
        return [Reply(_("You have no registrations yet. Open a Vietnamese class or a spring tour to sign up."),
                      ((home_button(),),))]  # fmt: skip
    lines = [_("📋 Your registrations:"), ""]
    rows: list[tuple[Button, ...]] = []
    for registration in registrations[:10]:
        status = _(STATUS_NAMES[RegistrationStatus(registration.status)])
        lines.append(f"• {offering_title(ctx, registration.offering_id)}: {status}")
        if registration.status in ACTIVE_STATUSES:
            rows.append((Button(offering_title(ctx, registration.offering_id), make_payload(SHOW, registration.id)),))
    rows.append((home_button(),))
    return [Reply("\n".join(lines), tuple(rows))]


@router.button(SHOW)
async def show_registration(message: Incoming, ctx: Context) -> list[Reply]:
    """One registration with what can be done with it."""
    registration = await _own(message, ctx)
    status = RegistrationStatus(registration.status)
    lines = [f"📝 {offering_title(ctx, registration.offering_id)}", _(STATUS_NAMES[status]),
             "💺 " + ngettext("{n} seat", "{n} seats", registration.seats)]  # fmt: skip
    rows: list[tuple[Button, ...]] = []
    if status == RegistrationStatus.WAITING:
        lines.append(
            _(
                "Your place on the waiting list: {position}",
                position=await ctx.registrations.waiting_list.position(registration),
            )
        )
    if status == RegistrationStatus.OFFERED and registration.offer_expires_at is not None:
        lines.append(_("Answer by {deadline}.", deadline=ctx.locale.datetime(registration.offer_expires_at)))
        rows.append((Button(_("✅ Accept"), make_payload(OFFER, registration.id, "yes")),
                     Button(_("✖ Decline"), make_payload(OFFER, registration.id, "no"))))  # fmt: skip
    if status == RegistrationStatus.CONFIRMED:
        files = [Button(_("📅 Add to calendar"), make_payload(CALENDAR, registration.id))]
        if registration.ticket_code and registration.offering_id in ctx.content.tours.items:
            files.append(Button(_("🎫 Ticket"), make_payload(TICKET, registration.id)))
        rows.append(tuple(files))
        lines.append(_("🔔 Reminders are on.") if registration.reminders else _("🔕 Reminders are off."))
        switch = (
            Button(_("🔕 Turn reminders off"), make_payload(REMINDERS, registration.id, "off"))
            if registration.reminders
            else Button(_("🔔 Turn reminders on"), make_payload(REMINDERS, registration.id, "on"))
        )
        rows.append((switch,))
    if status in ACTIVE_STATUSES:
        label = _("Leave the waiting list") if status == RegistrationStatus.WAITING else _("Cancel my place")
        rows.append((Button(f"✖ {label}", make_payload(CANCEL, registration.id)),))
    card = "tour" if registration.offering_id in ctx.content.tours.items else "course"
    rows.append((Button(_("📄 Details"), make_payload(card, registration.offering_id)),))
    rows.append((my_button(), home_button()))
    return [Reply("\n".join(lines), tuple(rows))]


@router.button(CANCEL)
async def cancel_registration(message: Incoming, ctx: Context) -> list[Reply]:
    """Ask to confirm, then cancel: the seats are freed at once."""
    registration = await _own(message, ctx)
    title = offering_title(ctx, registration.offering_id)
    if registration.status not in ACTIVE_STATUSES:
        return [Reply(_("This registration is no longer active."), ((my_button(),),))]
    if message.args[1:] != ("yes",):
        return [Reply(_("Cancel your registration for {title}?", title=title), (
            (Button(_("✖ Yes, cancel it"), make_payload(CANCEL, registration.id, "yes")),),
            (Button(_("◀ No, keep it"), make_payload(SHOW, registration.id)),),
        ))]  # fmt: skip
    await ctx.registrations.cancel(registration)
    return [Reply(_("Your registration for {title} is cancelled.", title=title), ((my_button(),), (home_button(),)))]


@router.button(REMINDERS)
async def switch_reminders(message: Incoming, ctx: Context) -> list[Reply]:
    """Turn the reminders of a confirmed place off or on; the card shows the new setting."""
    registration = await _confirmed(message, ctx)
    if message.arg(1) not in ("on", "off"):
        raise InvalidPayload("reminders are switched on or off")
    await ctx.registrations.reminders.switch(registration, on=message.arg(1) == "on")
    return await show_registration(message, ctx)


@router.button(COMING)
async def still_coming(message: Incoming, ctx: Context) -> list[Reply]:
    """The answer "Yes, I'm coming" to the reminder the day before."""
    registration = await _own(message, ctx)
    title = offering_title(ctx, registration.offering_id)
    if not ctx.registrations.confirm_coming(registration):
        return [Reply(_("This registration is no longer active."), ((my_button(),),))]
    return [Reply(_("👍 Thank you! See you at {title}.", title=title), ((my_button(), home_button()),))]


@router.button(OFFER)
async def answer_offer(message: Incoming, ctx: Context) -> list[Reply]:
    """Accept or decline a place offered from the waiting list."""
    registration = await _own(message, ctx)
    title = offering_title(ctx, registration.offering_id)
    if message.arg(1) == "yes":
        if await ctx.registrations.waiting_list.accept(registration):
            return [Reply(await outcome_text(ctx, registration), ((my_button(),),))]
        return [Reply(_("Sorry, this offer for {title} has expired.", title=title), ((my_button(),),))]
    if message.arg(1) != "no":
        raise InvalidPayload("an offer is answered yes or no")
    await ctx.registrations.waiting_list.decline(registration)
    return [Reply(_("You declined the place for {title}.", title=title), ((my_button(),), (home_button(),)))]


async def _confirmed(message: Incoming, ctx: Context) -> Registration:
    registration = await _own(message, ctx)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise InvalidPayload("files come with confirmed places only")
    return registration


@router.button(CALENDAR)
async def calendar(message: Incoming, ctx: Context) -> list[Reply]:
    """The place as an .ics file for the user's calendar."""
    registration = await _confirmed(message, ctx)
    item = offering(ctx.content, registration.offering_id)
    uid = f"registration-{registration.id}@haufo-bot"
    content = calendar_file(item, uid, ctx.locale.language, ctx.locale.timezone)
    attachment = Attachment(f"haufo-{registration.offering_id}.ics", content, "text/calendar")
    title = offering_title(ctx, registration.offering_id)
    text = _("📅 Open the file to add {title} to your calendar.", title=title)
    return [Reply(text, ((my_button(),),), attachment=attachment)]


@router.button(TICKET)
async def ticket(message: Incoming, ctx: Context) -> list[Reply]:
    """The tour ticket: a QR code staff scan at the coach."""
    registration = await _confirmed(message, ctx)
    if registration.ticket_code is None:
        raise InvalidPayload("no ticket")
    image = ticket_image(ticket_link(registration.ticket_code, web_url=ctx.web_url, bot_link=message.bot_link))
    attachment = Attachment(f"ticket-{registration.offering_id}.png", image, "image/png")
    text = _("🎫 Your ticket for {title}. Show this code to staff at the meeting point.",
             title=offering_title(ctx, registration.offering_id))  # fmt: skip
    # The code in words too: staff can type it where the picture cannot be shown (Zalo without a public URL).
    return [Reply(f"{text}\n\n{registration.ticket_code}", ((my_button(),),), attachment=attachment)]
