"""What the bot says to anything no other router understood: a short note and the main menu."""

from __future__ import annotations

from bot.conversation import Context
from bot.conversation.flood import FLOODED
from bot.core.i18n import _
from bot.core.messages import Incoming, Reply
from bot.core.router import Router
from handlers.menu import home_button, main_menu

router = Router(name="fallback")


@router.fallback
async def not_understood(message: Incoming, ctx: Context) -> list[Reply]:
    """Unknown commands, unknown buttons, stickers, and text nobody else handled."""
    if message.command is not None:
        return [
            main_menu(_("I do not know the command /{command}. Here is the main menu:", command=message.command[:32]))
        ]
    if message.payload is not None:
        return await stale_button(message, ctx)
    if not message.text:
        return [main_menu(_("I can only read text messages. Please choose from the menu:"))]
    return [main_menu(_("Sorry, I did not understand that. Please choose from the menu:"))]


@router.event(FLOODED)
async def slow_down(message: Incoming, ctx: Context) -> list[Reply]:
    """Someone sending faster than anyone types: one notice; what they send meanwhile is not handled."""
    return [Reply(_("You are sending messages faster than we can read them. Please wait a few seconds, then send "
                    "one message at a time."), ((home_button(),),))]  # fmt: skip


async def stale_button(message: Incoming, ctx: Context) -> list[Reply]:
    """A button that is out of date or was never ours."""
    return [main_menu(_("That button is out of date. Here is the main menu:"))]
