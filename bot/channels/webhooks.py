"""What every channel's webhook shares: the secret header compared in constant time, and bodies read within
bounds: over ``MAX_BODY`` refused (413) without reading them, anything but a JSON object refused (400)."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

log = logging.getLogger(__name__)

MAX_BODY: Final = 1_000_000
"""Bytes a webhook body may have: an update is a few kilobytes."""


class RejectedBody(Exception):
    """A webhook body refused: its HTTP status, and why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> Response:
        """The refusal as the webhook's answer."""
        return PlainTextResponse(self.reason, status_code=self.status)


def secret_matches(given: str | None, expected: str | None) -> bool:
    """Compare a webhook secret in constant time; no expected secret matches nothing."""
    return bool(given) and bool(expected) and hmac.compare_digest(str(given).encode(), str(expected).encode())


async def _bounded_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isascii() or not declared.isdecimal() or int(declared) > limit):
        raise RejectedBody(413, f"the body may have at most {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():  # a body sent without its length is read only up to the bound
        size += len(chunk)
        if size > limit:
            raise RejectedBody(413, f"the body may have at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def json_object(request: Request, limit: int = MAX_BODY) -> dict[str, Any]:
    """The request's JSON object of at most ``limit`` bytes; ``RejectedBody`` (logged) for a body too long or
    anything else."""
    try:
        body = json.loads(await _bounded_body(request, limit))
        if not isinstance(body, dict):
            raise RejectedBody(400, "the body must be a JSON object")
    except ValueError:
        log.warning("%s: the body is not JSON; refused", request.url.path)
        raise RejectedBody(400, "the body must be a JSON object") from None
    except RejectedBody as refused:
        log.warning("%s: %s; refused", request.url.path, refused.reason)
        raise
    return body
