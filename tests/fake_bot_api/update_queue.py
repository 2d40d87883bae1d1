"""Telegram's queue of incoming updates: ids, confirmation by offset, allowed_updates, and long-poll wake-ups."""

from __future__ import annotations

import asyncio
import copy
import threading
from collections.abc import Iterable
from typing import Any

DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def update_type(update: dict[str, Any]) -> str:
    """The kind of an update: its one key besides update_id ("message", "callback_query", ...)."""
    return next((key for key in update if key != "update_id"), "")


class UpdateQueue:
    """Pending updates, safe to use from any thread; long polls wait on events of their own event loop."""

    def __init__(self, first_id: int = 1) -> None:
        self._lock = threading.Lock()
        self._updates: list[dict[str, Any]] = []
        self._next_id = first_id
        self._allowed: frozenset[str] | None = None
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def enqueue(self, update: dict[str, Any]) -> int:
        """Add a copy of `update` with the next update_id, wake the long polls, and return the id."""
        with self._lock:
            update_id = self._next_id
            self._next_id += 1
            self._updates.append({**copy.deepcopy(update), "update_id": update_id})
        self.wake()
        return update_id

    def pending(self) -> list[dict[str, Any]]:
        """Copies of the updates not confirmed yet."""
        with self._lock:
            return copy.deepcopy(self._updates)

    def clear(self) -> None:
        """Drop every pending update (drop_pending_updates)."""
        with self._lock:
            self._updates.clear()

    def set_allowed(self, allowed: Iterable[str] | None) -> None:
        """Remember allowed_updates like Telegram does: None keeps the setting, [] restores the default."""
        if allowed is not None:
            with self._lock:
                self._allowed = frozenset(allowed) or None

    @property
    def allowed(self) -> frozenset[str] | None:
        """The allowed update types, or None for the default (all but chat_member and reactions)."""
        return self._allowed

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        """Whether the current allowed_updates setting lets this update through."""
        kind = update_type(update)
        return kind in self._allowed if self._allowed is not None else kind not in DEFAULT_EXCLUDED

    def take(
        self, offset: int | None, limit: int, loop: asyncio.AbstractEventLoop | None = None
    ) -> tuple[list[dict[str, Any]], asyncio.Event | None]:
        """Confirm updates below `offset`, drop filtered ones, and return up to `limit` pending updates.

        When none is pending and `loop` is given, also return an event (registered under the same lock, so no
        enqueue can slip in between) that is set when an update arrives; pass it to `forget` afterwards.
        """
        with self._lock:
            if offset is not None and offset < 0:
                self._updates = self._updates[offset:]
            elif offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._updates = [u for u in self._updates if self._is_allowed(u)]
            ready = copy.deepcopy(self._updates[:limit])
            if ready or loop is None:
                return ready, None
            event = asyncio.Event()
            self._waiters.add((loop, event))
            return [], event

    def forget(self, event: asyncio.Event) -> None:
        """Stop waking an event returned by `take`."""
        with self._lock:
            self._waiters = {(loop, e) for loop, e in self._waiters if e is not event}

    def wake(self) -> None:
        """Wake every waiting long poll (thread-safe)."""
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that loop is closed
                self.forget(event)
