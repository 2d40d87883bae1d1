"""The error boundary: a failing handler is logged and the user gets an apology in their language."""

from __future__ import annotations

import logging

import pytest

from bot.app import App
from bot.conversation import Context
from bot.core.i18n import use_locale
from bot.core.messages import Incoming, Reply
from bot.core.router import Router, Routes
from bot.db.repositories import Users

APOLOGY = "Sorry, something went wrong on our side. Please try again in a moment, or send /start."


def _broken_routes() -> Routes:
    router = Router(name="broken")

    @router.fallback
    async def explode(message: Incoming, ctx: Context) -> list[Reply]:
        ctx.user.display_name = "must be rolled back"
        raise RuntimeError("boom")

    return Routes([router])


@pytest.mark.parametrize("hint", ["fr", "ja", "vi", None])
async def test_failure_answers_with_an_apology_in_the_users_language(
    app: App, hint: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    app.dispatcher.routes = _broken_routes()
    with caplog.at_level(logging.ERROR):
        replies = await app.dispatcher.handle(Incoming("test", "9", "9", text="passport X1234567", language_hint=hint))
    locale = app.catalogs.locale(hint or "en")  # type: ignore[arg-type]
    with use_locale(locale):
        expected = locale.gettext(APOLOGY)
    assert [r.text for r in replies] == [expected]
    if hint not in (None, "en"):
        assert expected != APOLOGY
    assert "boom" in caplog.text
    assert "X1234567" not in caplog.text, "what the person wrote is never logged"


async def test_failed_message_changes_nothing_in_the_database(app: App) -> None:
    await app.dispatcher.handle(Incoming("test", "9", "9", text="/start", display_name="Lan"))
    app.dispatcher.routes = _broken_routes()
    await app.dispatcher.handle(Incoming("test", "9", "9", text="hi", display_name="Minh"))
    async with app.sessions() as session:
        user = await Users(session).find("test", "9")
    assert user is not None
    assert user.display_name == "Lan"
