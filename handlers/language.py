"""Choosing the language the bot speaks with a user; the choice is stored."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import _, use_locale
from bot.core.languages import LANGUAGES, NATIVE_NAMES, parse_language
from bot.core.messages import Button, Incoming, InvalidPayload, Reply, make_payload
from bot.core.router import Router
from handlers.menu import home_button, main_menu

router = Router(name="language")

PREFIX = "lang"


def language_buttons() -> tuple[tuple[Button, ...], ...]:
    """One button per language, each labelled in its own language, two a row."""
    buttons = [Button(NATIVE_NAMES[lang], make_payload(PREFIX, lang)) for lang in LANGUAGES]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def language_offer(ctx: Context) -> Reply:
    """Tell the user which language the bot is using and offer the others."""
    return Reply(
        _("I am writing in {language}. Choose the language you prefer:", language=NATIVE_NAMES[ctx.locale.language]),
        language_buttons(),
    )


@router.command("language", "lang")
@router.button(PREFIX)
async def choose_language(message: Incoming, ctx: Context) -> list[Reply]:
    """Without an argument, show the languages; with one (``lang:fr``, ``/language fr``), switch to it."""
    if not message.args:
        return [Reply(_("Choose your language:"), (*language_buttons(), (home_button(),)))]
    language = parse_language(message.args[0])
    if language is None or message.args[0].lower() not in LANGUAGES:
        if message.payload is not None:
            raise InvalidPayload(f"unknown language {message.args[0]!r}")
        return [Reply(_("I do not speak that language yet. Choose one of these:"), language_buttons())]
    ctx.people.choose_language(ctx.user, language)
    ctx.locale = ctx.locale.switch(language)
    with use_locale(ctx.locale):
        return [main_menu(_("Done! I will speak {language} with you.", language=NATIVE_NAMES[language]))]
