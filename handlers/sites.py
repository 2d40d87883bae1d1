"""Heritage sites: the list and each site's card with its venue."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.i18n import _
from bot.core.messages import Button, Incoming, Reply, make_payload
from bot.core.router import Router
from handlers.formatting import venue
from handlers.paging import Entry, card_navigation, paged_list

router = Router(name="sites")

LIST, CARD = "sites", "site"


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
