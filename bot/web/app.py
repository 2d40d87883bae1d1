"""The bot's one web app: the routes every channel contributes (webhooks), and ``GET /healthz``."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route


def create_web_app(engine: AsyncEngine, routes: Sequence[BaseRoute]) -> Starlette:
    """The web app serving ``routes`` and the health check."""

    async def healthz(request: Request) -> Response:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return PlainTextResponse("ok")

    return Starlette(routes=[*routes, Route("/healthz", healthz, methods=["GET"])])
