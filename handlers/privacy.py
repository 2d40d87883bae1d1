"""The privacy notice: what is stored about a user and why."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.i18n import _
from bot.core.messages import Button, Incoming, Reply, make_payload
from bot.core.router import Router
from handlers.menu import home_button
from handlers.registration import START, STATE

router = Router(name="privacy")


@router.command("privacy")
@router.button("privacy")
async def privacy_notice(message: Incoming, ctx: Context) -> list[Reply]:
    """The privacy notice, as staff wrote it in the FAQ."""
    faq = ctx.content.faq.get("privacy")
    lang = ctx.locale.language
    rows = [(home_button(),)]
    if ctx.dialog.paused(STATE):
        rows.insert(0, (Button(_("◀ Back to the form"), make_payload(START, ctx.dialog.data["offering"])),))
    return [Reply(f"🔒 {faq.question(lang)}\n\n{faq.answer(lang)}", tuple(rows))]
