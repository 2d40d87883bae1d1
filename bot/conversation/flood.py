"""Flood control: one person sending dozens of messages a second is slowed, and nobody else notices.

Each person has a bucket of ``BURST`` messages that refills at ``RATE`` a second. A message that finds it
empty is not handled at all (no database, no reply), except the first of each ``COOLDOWN``, which becomes the
``flooded`` event: one polite notice in the person's language. Platform events (blocked, unblocked) are
never held back. The buckets live in this process: with several workers behind a webhook, each counts the
messages it receives."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Final

from bot.core.buckets import TokenBuckets
from bot.core.dispatcher import Next
from bot.core.messages import Incoming, Reply

FLOODED: Final = "flooded"
"""The event a held-back message becomes, once per cooldown: the handler answers with the notice."""
BURST: Final = 8
RATE: Final = 1.0
COOLDOWN: Final = 30.0


class FloodControl:
    """The first middleware: holds back a person's messages beyond their bucket."""

    def __init__(
        self, *, burst: int = BURST, rate: float = RATE, cooldown: float = COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self._buckets = TokenBuckets(burst, rate, clock=clock)
        self._cooldown, self._clock = cooldown, clock
        self._warned: dict[tuple[str, str], float] = {}

    async def __call__(self, message: Incoming, scope: object, call_next: Next) -> list[Reply]:
        if message.event is not None and message.text is None and message.payload is None:
            return await call_next(message)
        key = (message.channel, message.user_id)
        if self._buckets.take(key):
            return await call_next(message)
        now = self._clock()
        if not message.private or now - self._warned.get(key, float("-inf")) < self._cooldown:
            return []
        self._warned = {k: at for k, at in self._warned.items() if now - at < self._cooldown}
        self._warned[key] = now
        return await call_next(replace(message, text=None, payload=None, event=FLOODED))
