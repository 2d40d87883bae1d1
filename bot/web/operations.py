"""What operators read: ``/healthz`` (the process answers), ``/readyz`` (it can do its work, and if not,
what is wrong, as JSON) and ``/metrics`` (Prometheus text, for a bearer token or from this machine only)."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Final

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.core.metrics import exposition

LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "::1", "localhost"})
FORWARDED: Final = ("x-forwarded-for", "forwarded", "x-real-ip")
"""Headers a reverse proxy adds: a request carrying one came from outside, whatever its socket says."""


@dataclass(frozen=True)
class Check:
    """One readiness check: its name, whether it passes, and what it found."""

    name: str
    ok: bool
    detail: str


def _from_this_machine(request: Request) -> bool:
    host = request.client.host if request.client is not None else ""
    return host in LOCAL_HOSTS and not any(header in request.headers for header in FORWARDED)


def _token_matches(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


def operations_routes(
    checks: Callable[[], Awaitable[Sequence[Check]]],
    *,
    metrics_token: str | None,
    before_scrape: Callable[[], Awaitable[None]] | None = None,
) -> list[BaseRoute]:
    """``/healthz``, ``/readyz`` running ``checks``, and ``/metrics`` (``before_scrape`` refreshes the gauges
    read from the database). With ``metrics_token`` the metrics need ``Authorization: Bearer <token>``;
    without, only a request from this machine that no proxy forwarded gets them."""

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        found = list(await checks())
        ready = all(check.ok for check in found)
        body = {"ready": ready, "checks": [asdict(check) for check in found],
                "problems": [f"{check.name}: {check.detail}" for check in found if not check.ok]}  # fmt: skip
        return JSONResponse(body, status_code=200 if ready else 503, headers={"Cache-Control": "no-store"})

    async def metrics(request: Request) -> Response:
        allowed = _token_matches(request, metrics_token) if metrics_token else _from_this_machine(request)
        if not allowed:
            return PlainTextResponse("forbidden", status_code=403)
        if before_scrape is not None:
            await before_scrape()
        return Response(exposition(), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
