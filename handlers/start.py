"""First contact and help: greeting, a language offer, the main menu."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.i18n import _
from bot.core.messages import Incoming, Reply
from bot.core.router import Router
from handlers.language import language_offer
from handlers.menu import main_menu

router = Router(name="start")


@router.command("start")
async def start(message: Incoming, ctx: Context) -> list[Reply]:
    """Greet the user and show the main menu; offer languages until they pick one."""
    ctx.dialog.clear()
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
            "",
            _("Commands:"),
            _("/start: the main menu"),
            _("/language: choose your language"),
            _("/help: this help"),
        ]
    )
    return [main_menu(text)]
