"""Spring friendship tours: the list and each tour's card with its meeting point."""

from __future__ import annotations

import datetime as dt

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.messages import Button, Incoming, Reply, make_payload
from bot.core.router import Router
from handlers.formatting import day_with_lunar, joined, site_buttons, venue
from handlers.paging import Entry, card_navigation, paged_list
from handlers.seats import availability

router = Router(name="tours")

LIST, CARD = "tours", "tour"


@router.button(LIST)
async def list_tours(message: Incoming, ctx: Context) -> list[Reply]:
    """One page of spring tours, with their dates."""
    lang = ctx.locale.language
    entries = [
        Entry(
            f"🌸 {tour.title(lang)}: {day_with_lunar(ctx.locale, tour.date)}",
            Button(tour.title(lang), make_payload(CARD, tour_id)),
        )
        for tour_id, tour in ctx.content.tours.items.items()
    ]
    return [paged_list(_("🌸 Spring friendship tours “Du xuân hữu nghị”"), entries, message.int_arg(0), LIST)]


@router.button(CARD)
async def show_tour(message: Incoming, ctx: Context) -> list[Reply]:
    """A tour's card: date, times, meeting point, sites, seats, fee, what to bring."""
    tour_id = message.arg(0)
    tour = ctx.content.tours.get(tour_id)
    locale, lang = ctx.locale, ctx.locale.language
    site_names = [ctx.content.sites.get(site_id).name(lang) for site_id in tour.sites]
    text = "\n".join(
        [
            f"🌸 {tour.title(lang)}",
            tour.summary(lang),
            "",
            _("📅 Date: {date}", date=day_with_lunar(locale, tour.date)),
            _(
                "🕖 Departure at {departure}, back at about {back}",
                departure=locale.time(dt.time.fromisoformat(tour.departure)),
                back=locale.time(dt.time.fromisoformat(tour.return_)),
            ),
            _(
                "📍 Meeting point: {place}, {address}",
                place=tour.meeting_point.name(lang),
                address=tour.meeting_point.address(lang),
            ),
            _("🏛 Sites: {sites}", sites=joined(locale, site_names)),
            await availability(ctx, tour_id, tour.seats),
            _(
                "💵 Fee: {fee} per person. Included: {includes}",
                fee=locale.money(tour.fee),
                includes=tour.fee_includes(lang),
            ),
            _("🎒 What to bring: {items}", items=tour.what_to_bring(lang)),
            _("⏳ Registration closes on {deadline}", deadline=locale.datetime(tour.registration_deadline)),
            "",
            tour.description(lang),
        ]
    )
    buttons = (
        (Button(_("📝 Register"), make_payload("register", tour_id)),),
        *site_buttons(locale, ctx.content, tour.sites),
        card_navigation(_("◀ All tours"), LIST, ctx.content.tours.ids().index(tour_id)),
    )
    return [Reply(text, buttons, venue=venue(locale, tour.meeting_point), replace=True)]
