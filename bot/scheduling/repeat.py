"""Running a job again and again until asked to stop, surviving its failures."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def repeat(job: Callable[[], Awaitable[object]], *, every: float, stop: asyncio.Event) -> None:
    """Run ``job``, then wait ``every`` seconds (or until ``stop``), until ``stop`` is set."""
    while not stop.is_set():
        try:
            await job()
        except Exception:
            log.exception("%s failed; trying again in %.0f s", getattr(job, "__qualname__", job), every)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)
