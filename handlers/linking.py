"""A web chat visitor continues on another app: ``/link`` (or the widget's button) gives a link that opens
the bot there; opening it joins the accounts, and reminders, offers and staff replies go there from then on."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.messages import Button, Incoming, Reply
from bot.core.router import Router
from bot.services.linking import LINKED_CHANNELS, link_code, linked_from
from handlers.menu import home_button

LINK = "link"
DEEP_LINK = "web"
"""``?start=web-<code>``: the parameter of the links this gives."""

router = Router(name="linking")


@router.command(LINK)
@router.button(LINK)
async def offer_link(message: Incoming, ctx: Context) -> list[Reply]:
    """The links that open the bot in each app it runs on, each carrying a signed code of this visitor."""
    if ctx.user.channel not in LINKED_CHANNELS:
        return [Reply(_("This is for the web chat on our website; here you already receive every message."),
                      ((home_button(),),))]  # fmt: skip
    code = link_code(ctx.user.id, ctx.signing_key, ctx.clock.now())
    buttons = []
    for app in ctx.start_links.values():
        url = app.link(f"{DEEP_LINK}-{code}")
        if url is not None:
            buttons.append((Button(_("📲 Continue in {app}", app=app.title), url=url),))
    if not buttons:
        return [Reply(_("The bot is not connected to any messaging app yet; please keep using this chat."),
                      ((home_button(),),))]  # fmt: skip
    return [Reply(_("To receive reminders, offers and replies from our staff in another app, open its link and "
                    "press Start. The link is valid for 15 minutes."), (*buttons, (home_button(),)))]  # fmt: skip


async def link_here(message: Incoming, ctx: Context) -> list[Reply]:
    """``/start web-<code>`` in another app: this account now receives what the bot starts for the visitor."""
    now = ctx.clock.now()
    visitor_id = linked_from(message.arg(0), ctx.signing_key, now)
    visitor = await ctx.links.visitor(visitor_id) if visitor_id is not None else None
    if visitor is None or ctx.user.channel in LINKED_CHANNELS:
        return [Reply(_("This link has expired. Please ask for a new one in the web chat (/link)."),
                      ((home_button(),),))]  # fmt: skip
    await ctx.links.link(visitor, ctx.user, now)
    return [Reply(_("✅ Your web chat is now linked to this chat: reminders, offers and replies from our staff "
                    "will come here."), ((home_button(),),))]  # fmt: skip
