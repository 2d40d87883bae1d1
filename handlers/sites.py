"""Heritage sites: the list and each site's card with its venue."""

from __future__ import annotations

import math

from babel.numbers import format_decimal

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.messages import Button, Incoming, Reply, make_payload
from bot.core.router import Router
from handlers.formatting import venue
from handlers.menu import home_button
from handlers.paging import Entry, card_navigation, paged_list

router = Router(name="sites")

LIST, CARD = "sites", "site"
NEAREST = 3
EARTH_RADIUS_KM = 6371.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@router.button(LIST)
async def list_sites(message: Incoming, ctx: Context) -> list[Reply]:
    """One page of heritage sites."""
    lang = ctx.locale.language
    entries = [
        Entry(f"🏛 {site.name(lang)}: {site.summary(lang)}", Button(site.name(lang), make_payload(CARD, site_id)))
        for site_id, site in ctx.content.sites.items.items()
    ]
    return [paged_list(_("🏛 Heritage sites around Hanoi"), entries, message.int_arg(0), LIST)]


@router.button(CARD)
async def show_site(message: Incoming, ctx: Context) -> list[Reply]:
    """A site's card: what it is, opening times, how to get there, and where it is."""
    site_id = message.arg(0)
    site = ctx.content.sites.get(site_id)
    lang = ctx.locale.language
    text = "\n".join(
        [
            f"🏛 {site.name(lang)}",
            site.summary(lang),
            "",
            site.description(lang),
            "",
            _("🕘 Opening: {opening}", opening=site.opening(lang)),
            _("🚌 Getting there: {directions}", directions=site.getting_there(lang)),
            _("📍 Address: {address}", address=site.address(lang)),
        ]
    )
    navigation = card_navigation(_("◀ All sites"), LIST, ctx.content.sites.ids().index(site_id))
    return [Reply(text, (navigation,), venue=venue(ctx.locale, site.place), replace=True)]


@router.event("location")
async def nearest_sites(message: Incoming, ctx: Context) -> list[Reply]:
    """The heritage sites closest to a location the user shared."""
    if message.location is None:
        return [Reply(_("I could not read that location. Please share it again."), ((home_button(),),))]
    lang = ctx.locale.language
    by_distance = sorted(
        (distance_km(message.location, (site.location.lat, site.location.lon)), site_id, site)
        for site_id, site in ctx.content.sites.items.items()
    )[:NEAREST]
    lines = [_("🏛 Heritage sites nearest to you:"), ""]
    rows: list[tuple[Button, ...]] = []
    for km, site_id, site in by_distance:
        distance = format_decimal(round(km, 1), locale=ctx.locale.babel)
        lines.append(_("{site}: {km} km", site=site.name(lang), km=distance))
        rows.append((Button(site.name(lang), make_payload(CARD, site_id)),))
    rows.append((home_button(),))
    return [Reply("\n".join(lines), tuple(rows))]
