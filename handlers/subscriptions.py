"""Subscriptions: announcements (everyone gets them until they leave) and the bulletin "Friendship and
Cooperation" (on request), switched in one place; broadcasts respect them."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.messages import Button, Incoming, InvalidPayload, Reply, make_payload
from bot.core.router import Router
from handlers.menu import home_button

router = Router(name="subscriptions")

SUBSCRIPTIONS, SWITCH, STOP = "subs", "subswitch", "subsstop"
TOPICS = ("announcements", "bulletin")


def subscriptions_button() -> Button:
    """The way to the subscriptions, from menus and announcements."""
    return Button(_("🔔 Subscriptions"), SUBSCRIPTIONS)


def _status(ctx: Context) -> list[Reply]:
    user = ctx.user
    lines = [
        _("🔔 What you receive from HAUFO in this chat:"),
        _("📣 Announcements (events, schedule changes, urgent notices): {state}",
          state=_("on") if user.announcements else _("off")),
        _("📰 The bulletin “Friendship and Cooperation”, every quarter: {state}",
          state=_("on") if user.bulletin else _("off")),
        _("Places you have booked are always confirmed and reminded, whatever you choose here."),
    ]  # fmt: skip
    rows = (
        (Button(_("📣 Stop announcements") if user.announcements else _("📣 Receive announcements"),
                make_payload(SWITCH, "announcements", "off" if user.announcements else "on")),),
        (Button(_("📰 Stop the bulletin") if user.bulletin else _("📰 Receive the bulletin"),
                make_payload(SWITCH, "bulletin", "off" if user.bulletin else "on")),),
        (home_button(),),
    )  # fmt: skip
    return [Reply("\n".join(lines), rows)]


@router.command("subscribe", "subscriptions")
@router.button(SUBSCRIPTIONS)
async def subscriptions(message: Incoming, ctx: Context) -> list[Reply]:
    """What the user receives, with a switch for each; ``/subscribe bulletin`` subscribes at once."""
    if message.command == "subscribe" and message.args and message.args[0].lower() in TOPICS:
        ctx.people.subscribe(ctx.user, **{message.args[0].lower(): True})
    return _status(ctx)


@router.button(SWITCH)
async def switch(message: Incoming, ctx: Context) -> list[Reply]:
    """Turn one subscription on or off."""
    topic, state = message.arg(0), message.arg(1)
    if topic not in TOPICS or state not in ("on", "off"):
        raise InvalidPayload(f"no subscription switch {topic!r} {state!r}")
    ctx.people.subscribe(ctx.user, **{topic: state == "on"})
    return _status(ctx)


@router.command("unsubscribe", "stop")
@router.button(STOP)
async def unsubscribe(message: Incoming, ctx: Context) -> list[Reply]:
    """Leave announcements and the bulletin in one step (also "Stop these announcements" under each one)."""
    ctx.people.subscribe(ctx.user, announcements=False, bulletin=False)
    text = _("Done: you will receive no more announcements or bulletins from HAUFO. Messages about places "
             "you have booked still come. Send /subscribe to change your mind.")  # fmt: skip
    return [Reply(text, ((subscriptions_button(), home_button()),))]
