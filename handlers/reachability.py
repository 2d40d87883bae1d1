"""Whether the user can be reached: the platform tells when they block or unblock the bot."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.messages import Incoming, Reply
from bot.core.metrics import USERS_BLOCKED
from bot.core.router import Router

router = Router(name="reachability")


@router.event("blocked")
async def blocked(message: Incoming, ctx: Context) -> list[Reply]:
    """Stop sending to a user who blocked the bot; nothing can be answered."""
    ctx.people.blocked(ctx.user)
    USERS_BLOCKED.labels(message.channel).inc()
    return []


@router.event("unblocked")
async def unblocked(message: Incoming, ctx: Context) -> list[Reply]:
    """The user let the bot back in; their /start follows, so stay quiet here."""
    ctx.people.reachable(ctx.user)
    return []
