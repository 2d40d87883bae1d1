"""What every channel's webhook shares: the secret header compared in constant time, JSON bodies read safely."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.requests import Request

log = logging.getLogger(__name__)


def secret_matches(given: str | None, expected: str | None) -> bool:
    """Compare a webhook secret in constant time; no expected secret matches nothing."""
    return bool(given) and bool(expected) and hmac.compare_digest(str(given).encode(), str(expected).encode())


async def json_object(request: Request) -> dict[str, Any] | None:
    """The request's JSON object, or None (logged) when the body is something else."""
    try:
        body = json.loads(await request.body())
    except ValueError:
        log.warning("%s: the body is not JSON; skipped", request.url.path)
        return None
    if not isinstance(body, dict):
        log.warning("%s: the body is not a JSON object; skipped", request.url.path)
        return None
    return body
