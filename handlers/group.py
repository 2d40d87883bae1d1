"""Group chats: the bot answers commands and mentions there by inviting the user to a private chat."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.messages import Button, Incoming, Reply
from bot.core.router import Router

router = Router(name="group")


@router.group_chat
async def invite_to_private_chat(message: Incoming, ctx: Context) -> list[Reply]:
    """Registrations and personal answers belong in a private chat, not in front of the group."""
    text = _("Hello! I answer questions best in a private chat, where your details stay between us.")
    if message.bot_link is None:
        return [Reply(text)]
    return [Reply(text, ((Button(_("💬 Continue in private"), url=message.bot_link),),))]
