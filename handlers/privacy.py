"""The privacy notice: what is stored about a user and why."""

from __future__ import annotations

import json

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.messages import Attachment, Button, Incoming, Reply, make_payload
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


@router.command("mydata")
@router.button("mydata")
async def my_data(message: Incoming, ctx: Context) -> list[Reply]:
    """Everything stored about the user, as a JSON document."""
    data = await ctx.personal_data.export(ctx.user)
    document = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    attachment = Attachment("haufo-my-data.json", document, "application/json")
    return [Reply(_("Here is everything we store about you."), ((home_button(),),), attachment=attachment)]


@router.command("forget")
@router.button("forget")
async def forget_me(message: Incoming, ctx: Context) -> list[Reply]:
    """After confirmation: cancel registrations and erase the user's personal data."""
    if message.args[:1] != ("yes",):
        return [Reply(
            _("This cancels all your registrations and erases your name, contacts and answers. It cannot be "
              "undone. Continue?"),
            ((Button(_("🗑 Yes, erase my data"), make_payload("forget", "yes")),), (home_button(),)),
        )]  # fmt: skip
    await ctx.personal_data.forget(ctx.user, ctx.clock.now())
    return [Reply(_("Done. Your registrations are cancelled and your personal data is erased."))]
