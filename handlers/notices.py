"""Messages the bot starts itself, rendered at send time in the recipient's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.core.i18n import _, ngettext
from bot.core.messages import Button, Reply, make_payload
from bot.scheduling.delivery import Notice, Template
from bot.services.offerings import offering
from handlers.menu import home_button


async def offer(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A place freed up: accept or decline before the deadline."""
    title = offering(notice.content, params["offering"]).title(notice.locale.language)
    deadline = notice.locale.datetime(dt.datetime.fromisoformat(params["expires_at"]))
    seats = ngettext("{n} seat", "{n} seats", int(params["seats"]))
    text = _("🎟 Good news: {seats} on {title} freed up for you. Please answer by {deadline}.",
             seats=seats, title=title, deadline=deadline)  # fmt: skip
    registration = params["registration"]
    buttons = (
        (Button(_("✅ Accept"), make_payload("offer", registration, "yes")),
         Button(_("✖ Decline"), make_payload("offer", registration, "no"))),
        (home_button(),),
    )  # fmt: skip
    return [Reply(text, buttons)]


async def offer_expired(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """An offer was not answered in time and passed to the next person."""
    title = offering(notice.content, params["offering"]).title(notice.locale.language)
    return [Reply(_("The place offered to you on {title} was not taken in time and has passed to the next "
                    "person on the waiting list.", title=title), ((home_button(),),))]  # fmt: skip


async def approved(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """Staff confirmed a place that needed approval."""
    title = offering(notice.content, params["offering"]).title(notice.locale.language)
    return [Reply(_("✅ Good news: your place for {title} is confirmed. See you there!", title=title),
                  ((Button(_("📋 My registrations"), "my"),),))]  # fmt: skip


async def rejected(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """Staff could not offer a place that needed approval."""
    title = offering(notice.content, params["offering"]).title(notice.locale.language)
    return [Reply(_("We are sorry: we cannot offer you a place for {title} this time. Please contact us if you "
                    "have any questions.", title=title), ((home_button(),),))]  # fmt: skip


async def staff_reply(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A staff member answered a question the bot could not."""
    text = _("💬 Our staff answered your question “{question}”:", question=params["question"])
    return [Reply(f"{text}\n\n{params['reply']}", ((home_button(),),))]


NOTICES: dict[str, Template] = {
    "offer": offer, "offer_expired": offer_expired, "approved": approved, "rejected": rejected,
    "staff_reply": staff_reply,
}  # fmt: skip
