"""Token buckets: ``burst`` at once, then ``rate`` a second, per key (a person, an address)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Final

FORGET_AFTER: Final = 600.0
"""A bucket untouched this long is full again: it is dropped, so the table holds only recent keys."""


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """One bucket per key, refilled as time passes."""

    def __init__(self, burst: float, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._burst, self._rate, self._clock = burst, rate, clock
        self._buckets: dict[Hashable, _Bucket] = {}
        self._last_sweep = clock()

    def take(self, key: Hashable) -> bool:
        """Take one from ``key``'s bucket; False when it is empty."""
        now = self._clock()
        if now - self._last_sweep >= FORGET_AFTER:
            self._last_sweep = now
            self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < FORGET_AFTER}
        bucket = self._buckets.setdefault(key, _Bucket(self._burst, now))
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True
