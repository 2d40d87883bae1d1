"""The team, for administrators: who is staff, granting the role (by id, a forwarded message or a one-time
invite link) and revoking it. Staff answer questions, approve, export and check in."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.messages import Button, Incoming, Reply, make_payload
from bot.core.router import Router
from bot.services.records import Role, User
from bot.services.team import INVITE_PREFIX, Joined
from handlers.menu import home_button

TEAM, ADD, INVITE, REVOKE = "team", "teamadd", "teaminvite", "teamrevoke"
ADDING = "team:add"


async def admin_only(message: Incoming, ctx: Context) -> list[Reply] | None:
    """The team router's guard: everyone but administrators is refused, in their language (forged or replayed
    presses too)."""
    if ctx.user.role == Role.ADMIN:
        return None
    return [Reply(_("Sorry, only administrators manage the team."), ((home_button(),),))]


router = Router(name="team", guard=admin_only)


def _name(person: User) -> str:
    return f"{person.display_name or '—'} ({person.channel}:{person.external_id})"


def _back() -> tuple[Button, ...]:
    return (Button(_("👥 Team"), TEAM), home_button())


@router.command(TEAM)
@router.button(TEAM)
async def team(message: Incoming, ctx: Context) -> list[Reply]:
    """Administrators and staff; each staff member with Revoke."""
    ctx.dialog.clear()
    members = await ctx.team.members()
    lines = [_("👥 The team. Staff answer questions, approve, export and check in; "
               "administrators (from ADMINS) also manage the team."), ""]  # fmt: skip
    rows: list[tuple[Button, ...]] = []
    for person in members:
        role = _("administrator") if person.role == Role.ADMIN else _("staff")
        lines.append(f"• {_name(person)}: {role}")
        if person.role == Role.STAFF:
            label = _("✖ Revoke {name}", name=person.display_name or person.external_id)
            rows.append((Button(label, make_payload(REVOKE, person.id)),))
    rows.append((Button(_("➕ Add staff"), ADD), Button(_("🔗 Invite link"), INVITE)))
    rows.append((home_button(),))
    return [Reply("\n".join(lines), tuple(rows))]


@router.button(ADD)
async def start_adding(message: Incoming, ctx: Context) -> list[Reply]:
    """Ask for the person: a forwarded message of theirs, or their user id."""
    ctx.dialog.clear()
    ctx.dialog.enter(ADDING)
    return [Reply(_("Forward me a message from the person, or send their user id. They must have written "
                    "to the bot before; otherwise send them an invite link."),
                  ((Button(_("✖ Cancel"), TEAM),),))]  # fmt: skip


@router.state(ADDING)
async def add(message: Incoming, ctx: Context) -> list[Reply]:
    """Grant the staff role to the person named by a forwarded message or an id."""
    external_id = message.forwarded_from or (message.text or "").strip()
    if not external_id.isascii() or not external_id.isdecimal():
        return [Reply(_("Please forward a message from the person, or send their user id (digits only)."),
                      ((Button(_("✖ Cancel"), TEAM),),))]  # fmt: skip
    person = await ctx.team.person(message.channel, external_id)
    if person is None:
        return [Reply(_("This person has not written to the bot yet. Send them an invite link instead."),
                      ((Button(_("🔗 Invite link"), INVITE),), _back()))]  # fmt: skip
    ctx.dialog.clear()
    if not await ctx.team.grant(ctx.user, person):
        return [Reply(_("{name} is already on the team.", name=_name(person)), (_back(),))]
    return [Reply(_("Done: {name} is now staff.", name=_name(person)), ((Button(_("➕ Add staff"), ADD),), _back()))]


@router.button(INVITE)
async def invite(message: Incoming, ctx: Context) -> list[Reply]:
    """A one-time invite link (48 hours) to pass to a new staff member."""
    token = await ctx.team.invite(ctx.user)
    parameter = f"{INVITE_PREFIX}{token}"
    link = f"{message.bot_link}?start={parameter}" if message.bot_link else f"/start {parameter}"
    return [Reply(_("Pass this invite to the new staff member; it works once, within 48 hours:\n{link}",
                    link=link), (_back(),))]  # fmt: skip


@router.button(REVOKE)
async def revoke(message: Incoming, ctx: Context) -> list[Reply]:
    """Take the staff role back."""
    person = await ctx.team.revoke(ctx.user, message.int_arg(0, maximum=2**31))
    if person is None:
        return [Reply(_("This person is not staff (any more)."), (_back(),))]
    return [Reply(_("Done: {name} is no longer staff.", name=_name(person)), (_back(),))]


async def join(message: Incoming, ctx: Context) -> list[Reply]:
    """``/start staff-<token>``: an invite link makes its first user staff."""
    outcome = await ctx.team.join(ctx.user, message.arg(0))
    texts: dict[Joined, Callable[[], str]] = {
        Joined.JOINED: lambda: _("Welcome to the HAUFO team! You can now use /staff and /questions."),
        Joined.ALREADY: lambda: _("You are already on the HAUFO team."),
        Joined.INVALID: lambda: _("This invite link has expired or was already used. Please ask for a new one."),
    }
    return [Reply(texts[outcome](), ((home_button(),),))]
