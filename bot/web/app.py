"""The bot's one web app: the routes the channels contribute (webhooks), and those of the composition root
(health, metrics, ticket pages, file links)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.routing import BaseRoute


def create_web_app(routes: Sequence[BaseRoute]) -> Starlette:
    """The web app serving ``routes``."""
    return Starlette(routes=list(routes))
