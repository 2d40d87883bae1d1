"""The main menu: the way home from anywhere."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import N_, _
from bot.core.messages import Button, Incoming, Reply
from bot.core.router import Router

router = Router(name="menu")

HOME = "home"

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Main menu")),
    ("my", N_("My registrations")),
    ("language", N_("Choose your language")),
    ("subscribe", N_("Announcements and the bulletin")),
    ("quiz", N_("The Thăng Long – Hà Nội quiz")),
    ("privacy", N_("What we keep about you")),
    ("help", N_("What I can do")),
)
"""The commands a platform may list in its menu, with their descriptions (translate with ``_``)."""


def main_menu_buttons() -> tuple[tuple[Button, ...], ...]:
    """The main menu keyboard, in the current language."""
    return (
        (Button(_("🎉 Events"), "events:0"), Button(_("🇻🇳 Vietnamese classes"), "courses:0")),
        (Button(_("🌸 Spring tours"), "tours:0"), Button(_("🏛 Heritage sites"), "sites:0")),
        (Button(_("📋 My registrations"), "my"), Button(_("🌐 Language"), "lang")),
        (Button(_("🔔 Subscriptions"), "subs"), Button(_("❓ Help"), "help")),
        (Button(_("🧩 Thăng Long – Hà Nội quiz"), "quiz"),),
    )


def main_menu(text: str | None = None) -> Reply:
    """The main menu under ``text`` (a short prompt by default)."""
    return Reply(text or _("What would you like to do?"), main_menu_buttons())


def home_button() -> Button:
    """A button back to the main menu."""
    return Button(_("🏠 Main menu"), HOME)


@router.command("menu")
@router.button(HOME)
async def home(message: Incoming, ctx: Context) -> list[Reply]:
    """Show the main menu."""
    return [main_menu()]
