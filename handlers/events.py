"""Events: the list and each event's card with its venue."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.messages import Button, Incoming, Reply, make_payload
from bot.core.router import Router
from handlers.formatting import day_with_lunar, time_range, venue
from handlers.menu import home_button
from handlers.paging import Entry, card_navigation, paged_list

router = Router(name="events")

LIST, CARD, REMIND = "events", "event", "eventremind"


@router.button(LIST)
async def list_events(message: Incoming, ctx: Context) -> list[Reply]:
    """One page of events, with their dates."""
    lang = ctx.locale.language
    entries = [
        Entry(
            f"🎉 {event.title(lang)}: {ctx.locale.date(event.starts.date(), 'medium')}",
            Button(event.title(lang), make_payload(CARD, event_id)),
        )
        for event_id, event in ctx.content.events.items.items()
    ]
    return [paged_list(_("🎉 Events"), entries, message.int_arg(0), LIST)]


@router.button(CARD)
async def show_event(message: Incoming, ctx: Context) -> list[Reply]:
    """An event's card: date and time, venue, organisers, description."""
    event_id = message.arg(0)
    event = ctx.content.events.get(event_id)
    locale, lang = ctx.locale, ctx.locale.language
    text = "\n".join(
        [
            f"🎉 {event.title(lang)}",
            event.summary(lang),
            "",
            _("📅 Date: {date}", date=day_with_lunar(locale, event.starts.date())),
            _("🕖 Time: {time}", time=time_range(locale, event.starts, event.ends)),
            _("📍 Venue: {place}, {address}", place=event.venue.name(lang), address=event.venue.address(lang)),
            _("🤝 Organisers: {organisers}", organisers=event.organisers(lang)),
            "",
            event.description(lang),
        ]
    )
    navigation = card_navigation(_("◀ All events"), LIST, ctx.content.events.ids().index(event_id))
    rows: tuple[tuple[Button, ...], ...] = (navigation,)
    if ctx.registrations.reminders.moments(event):
        reminded = await ctx.registrations.reminders.reminded_of_event(ctx.user, event_id)
        switch = (
            Button(_("🔕 Don't remind me"), make_payload(REMIND, event_id, "off"))
            if reminded
            else Button(_("🔔 Remind me"), make_payload(REMIND, event_id, "on"))
        )
        rows = ((switch,), navigation)
    return [Reply(text, rows, venue=venue(locale, event.venue), replace=True)]


@router.button(REMIND)
async def remind_of_event(message: Incoming, ctx: Context) -> list[Reply]:
    """Remind me of this event (the day before), or no longer."""
    event_id, on = message.arg(0), message.arg(1) == "on"
    event = ctx.content.events.get(event_id)
    queued = await ctx.registrations.reminders.remind_of_event(ctx.user, event_id, on=on)
    title = event.title(ctx.locale.language)
    if not on:
        text = _("🔕 No reminder for {title}.", title=title)
    elif queued:
        text = _("🔔 I will remind you of {title} before it starts.", title=title)
    else:
        text = _("{title} is too close for a reminder.", title=title)
    buttons = ((Button(_("📄 Details"), make_payload(CARD, event_id)),), (home_button(),))
    return [Reply(text, buttons)]
