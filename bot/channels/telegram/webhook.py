"""Telegram's webhook route, which the Telegram channel contributes to the bot's one web app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.webhooks import RejectedBody, json_object, secret_matches

TELEGRAM_SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
TELEGRAM_WEBHOOK_PATH: Final = "/telegram/webhook"


def webhook_route(handle_update: Callable[[dict[str, Any]], Awaitable[None]], secret: str | None) -> Route:
    """``POST /telegram/webhook``: refused (403) without the secret header, and (413, 400) for a body too long
    or not an update; an update is answered only after it was handled, so Telegram delivers it again if the
    process dies first."""

    async def receive(request: Request) -> Response:
        if not secret_matches(request.headers.get(TELEGRAM_SECRET_HEADER), secret):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            update = await json_object(request)
        except RejectedBody as refused:
            return refused.response()
        if not isinstance(update.get("update_id"), int):
            return RejectedBody(400, "not a Telegram update: no update_id").response()
        await handle_update(update)
        return JSONResponse({})

    return Route(TELEGRAM_WEBHOOK_PATH, receive, methods=["POST"])
