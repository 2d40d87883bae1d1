"""Whether the user can be reached: the platform tells when they block or unblock the bot."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.messages import Incoming, Reply
from bot.core.router import Router

router = Router(name="reachability")


@router.event("blocked")
async def blocked(message: Incoming, ctx: Context) -> list[Reply]:
    """Stop sending to a user who blocked the bot; nothing can be answered."""
    ctx.user.blocked = True
    return []


@router.event("unblocked")
async def unblocked(message: Incoming, ctx: Context) -> list[Reply]:
    """The user let the bot back in; their /start follows, so stay quiet here."""
    ctx.user.blocked = False
    return []
