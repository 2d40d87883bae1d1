"""Flood control: one person sending dozens of messages a second is slowed, and nobody else notices.

Each person has a bucket of ``BURST`` messages that refills at ``RATE`` a second. A message that finds it
empty is not handled at all (no database, no reply), except the first of each ``COOLDOWN``, which becomes the
``flooded`` event: one polite notice in the person's language. Platform events (blocked, unblocked) are
never held back. The buckets live in this process: with several workers behind a webhook, each counts the
messages it receives."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from bot.core.dispatcher import Next
from bot.core.messages import Incoming, Reply

FLOODED: Final = "flooded"
"""The event a held-back message becomes, once per cooldown: the handler answers with the notice."""
BURST: Final = 8
RATE: Final = 1.0
COOLDOWN: Final = 30.0
FORGET_AFTER: Final = 600.0
"""A bucket untouched this long is full again: it is dropped, so the table holds only recent senders."""


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned_at: float = float("-inf")


class FloodControl:
    """The first middleware: holds back a person's messages beyond their bucket."""

    def __init__(
        self, *, burst: int = BURST, rate: float = RATE, cooldown: float = COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self._burst, self._rate, self._cooldown, self._clock = burst, rate, cooldown, clock
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._last_sweep = clock()

    async def __call__(self, message: Incoming, scope: object, call_next: Next) -> list[Reply]:
        if message.event is not None and message.text is None and message.payload is None:
            return await call_next(message)
        now = self._clock()
        self._sweep(now)
        bucket = self._buckets.setdefault((message.channel, message.user_id), _Bucket(self._burst, now))
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return await call_next(message)
        if not message.private or now - bucket.warned_at < self._cooldown:
            return []
        bucket.warned_at = now
        return await call_next(replace(message, text=None, payload=None, event=FLOODED))

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < FORGET_AFTER:
            return
        self._last_sweep = now
        self._buckets = {key: b for key, b in self._buckets.items() if now - b.updated < FORGET_AFTER}
