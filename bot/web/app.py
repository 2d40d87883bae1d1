"""The Starlette app: ``POST /telegram/webhook`` (secret-checked) and ``GET /healthz``."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Final

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.telegram.channel import TelegramChannel

log = logging.getLogger(__name__)

TELEGRAM_SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
TELEGRAM_WEBHOOK_PATH: Final = "/telegram/webhook"


def secret_matches(given: str | None, expected: str) -> bool:
    """Compare a webhook secret in constant time."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def create_web_app(engine: AsyncEngine, *, telegram: TelegramChannel | None, secret: str) -> Starlette:
    """The web app serving the configured webhooks."""

    async def telegram_webhook(request: Request) -> Response:
        if telegram is None or not secret_matches(request.headers.get(TELEGRAM_SECRET_HEADER), secret):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            update = json.loads(await request.body())
        except ValueError:
            log.warning("webhook body is not JSON; skipped")
            return JSONResponse({})
        if not isinstance(update, dict) or "update_id" not in update:
            log.warning("webhook body is not an update; skipped")
            return JSONResponse({})
        # Answered after handling: if the process dies first, Telegram delivers the update again.
        await telegram.handle_update(update)
        return JSONResponse({})

    async def healthz(request: Request) -> Response:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route(TELEGRAM_WEBHOOK_PATH, telegram_webhook, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )
