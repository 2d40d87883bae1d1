"""First contact and help: greeting, a language offer, the main menu."""

from __future__ import annotations

from dataclasses import replace

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.messages import Incoming, Reply, make_payload
from bot.core.problems import UnknownContent
from bot.core.router import Handler, Router
from handlers import check_in, classes, events, linking, sites, team, tours
from handlers.language import language_offer
from handlers.menu import main_menu

router = Router(name="start")


DEEP_LINKS: dict[str, Handler] = {
    "tour": tours.show_tour,
    "course": classes.show_course,
    "event": events.show_event,
    "site": sites.show_site,
    "checkin": check_in.check_in,
    "staff": team.join,
    linking.DEEP_LINK: linking.link_here,
}


async def open_deep_link(message: Incoming, ctx: Context, parameter: str) -> list[Reply] | None:
    """The card a link such as ``t.me/<bot>?start=tour-spring-2027-co-loa`` points to, if it exists."""
    kind, _sep, item_id = parameter.partition("-")
    handler = DEEP_LINKS.get(kind)
    if handler is None or not item_id:
        return None
    try:
        return await handler(replace(message, text=None, payload=make_payload(kind, item_id)), ctx)
    except (UnknownContent, ValueError):
        return None


@router.command("start")
async def start(message: Incoming, ctx: Context) -> list[Reply]:
    """Greet the user and show the main menu, or open the card a deep link names; offer languages until
    the user picks one."""
    ctx.dialog.clear()
    ctx.people.reachable(ctx.user)
    if message.args:
        card = await open_deep_link(message, ctx, message.args[0])
        if card is not None:
            return card
    greeting = _(
        "Hello! I am the assistant of the Hanoi Union of Friendship Organizations (HAUFO). "
        "I can tell you about our events, the Vietnamese classes for diplomats, the spring "
        "friendship tours and Hanoi's heritage sites."
    )
    replies = [main_menu(greeting)]
    if ctx.user.language is None:
        replies.append(language_offer(ctx))
    return replies


@router.command("help")
@router.button("help")
async def show_help(message: Incoming, ctx: Context) -> list[Reply]:
    """Explain what the bot does and which commands it knows."""
    text = "\n".join(
        [
            _("Here is what I can help with:"),
            _("🎉 Events: what HAUFO organises, when and where."),
            _("🇻🇳 Vietnamese classes: courses for diplomats, with field trips to craft villages and relics."),
            _("🌸 Spring tours: the “Du xuân hữu nghị” friendship trips to heritage sites after Tết."),
            _("🏛 Heritage sites: history, opening hours and how to get there."),
            _("🧩 The Thăng Long – Hà Nội quiz (/quiz): timed questions on Hanoi's heritage, and a leaderboard."),
            "",
            _("Commands:"),
            _("/start: the main menu"),
            _("/language: choose your language"),
            _("/help: this help"),
        ]
    )
    return [main_menu(text)]
