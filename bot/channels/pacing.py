"""One sending budget per channel: replies first, then reminders, then broadcasts, within one rate.

Every message a channel sends draws a slot from its ``SendBudget``. Slots come from a ``Timeline``: the
rate shared by every process sending on that channel (``bot.scheduling.send_rates`` keeps it in the
database; ``LocalTimeline`` in memory). Slots are instants on one line, ``1/rate`` apart: a send that
starts a little late is caught up (at most twice as fast as the rate), one that is very late gives its
slot up, and no one-second window of a process ever holds more grants than the rate. A 429 pauses the
whole channel for ``retry_after`` and lowers the rate; it climbs back slowly, so senders settle just
under whatever the platform really allows (additive increase, multiplicative decrease). Messages the
bot starts itself also keep ``CHAT_SPACING`` from the previous message to the same chat (Telegram allows
about one a second per chat); replies answer someone who just wrote and do not wait for it.

A sender that holds its message for a limited time (an outbox row's lease) sends ``within`` a deadline: if
no slot comes by then, ``SendDeadline`` says nothing went out, and the sender hands the message back."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Final, Protocol

from bot.core.messages import Priority

log = logging.getLogger(__name__)

DECREASE: Final = 0.9
"""A 429 multiplies the rate by this."""
CLIMB: Final = 0.25
"""Messages a second the rate regains every second without a 429, up to its ceiling."""
FLOOR: Final = 1.0
"""The lowest rate 429s can bring a channel to."""
CHAT_SPACING: Final = 1.0
"""Seconds between two messages the bot starts itself to one chat."""
RESERVE_AHEAD: Final = 0.25
"""Seconds of slots a process takes from the shared timeline at a time, at most."""
MAX_RESERVE: Final = 16
LATE_SLOTS: Final = 0.5
"""A slot in hand later than this many intervals is given up rather than caught up: sent later still, it
would bunch with the next slot, which may be another process's."""
OVERSLEPT: Final = 1.5
"""A slot waited for is given up when the wait ended more than this many intervals after it (the loop was
busy); a little late, it is still used, so that a loaded process keeps sending."""


class SendDeadline(Exception):
    """No slot before the sender's deadline; nothing of the message was sent."""


@dataclass
class _Deadline:
    at: float
    started: bool = False


_deadline: ContextVar[_Deadline | None] = ContextVar("send_deadline", default=None)


@contextlib.contextmanager
def within(deadline: float) -> Iterator[None]:
    """Sends inside must start by ``deadline`` (epoch seconds), or raise ``SendDeadline``; once part of the
    message went out (``started``), the rest follows whenever its slots come."""
    token = _deadline.set(_Deadline(deadline))
    try:
        yield
    finally:
        _deadline.reset(token)


def started() -> None:
    """Part of the message was sent: the deadline of ``within`` no longer applies."""
    deadline = _deadline.get()
    if deadline is not None:
        deadline.started = True


def _time_left() -> float | None:
    """Seconds until the deadline of ``within`` (None without one); ``SendDeadline`` once it has passed."""
    deadline = _deadline.get()
    if deadline is None or deadline.started:
        return None
    left = deadline.at - time.time()
    if left <= 0:
        raise SendDeadline
    return left


@dataclass(frozen=True)
class RateState:
    """A channel's shared rate: the first free slot, the rate and since when, and any pause (epoch seconds)."""

    next_at: float
    rate: float
    since: float
    paused_until: float = 0.0

    def current(self, now: float, ceiling: float) -> float:
        """The rate now: what it was set to, plus what it climbed back since (or since the pause ended)."""
        climbing = max(0.0, now - max(self.since, self.paused_until))
        return min(ceiling, self.rate + CLIMB * climbing)

    def reserve(self, now: float, count: int, ceiling: float) -> tuple[RateState, float, float]:
        """Take ``count`` slots: the new state, the first slot's instant and the interval between slots."""
        rate = self.current(now, ceiling)
        start = max(self.next_at, now, self.paused_until)
        interval = 1.0 / rate
        return replace(self, next_at=start + count * interval, rate=rate, since=now), start, interval

    def flooded(self, now: float, retry_after: float, ceiling: float) -> RateState:
        """The platform answered 429: pause for ``retry_after``, and lower the rate unless this 429 belongs
        to a pause already under way (sends in flight when the first 429 came)."""
        paused_until = max(self.paused_until, now + retry_after)
        if now < self.paused_until:
            return replace(self, paused_until=paused_until, next_at=max(self.next_at, paused_until))
        rate = max(FLOOR, self.current(now, ceiling) * DECREASE)
        return RateState(next_at=max(self.next_at, paused_until), rate=rate, since=now, paused_until=paused_until)


def fresh_rate(ceiling: float, now: float) -> RateState:
    """A channel that has not sent yet: at its ceiling."""
    return RateState(next_at=now, rate=ceiling, since=now)


class Timeline(Protocol):
    """Where a channel's slots come from."""

    ceiling: float
    """The highest rate, in messages a second."""

    async def reserve(self, count: int) -> tuple[float, float]:
        """Take ``count`` slots: the first slot's instant (epoch seconds) and the interval between slots."""
        ...

    async def flooded(self, retry_after: float) -> None:
        """The platform answered 429 and asked to wait ``retry_after`` seconds."""
        ...


class LocalTimeline:
    """A timeline for one process alone, in memory."""

    def __init__(self, ceiling: float) -> None:
        self.ceiling = ceiling
        self.state = fresh_rate(ceiling, time.time())

    async def reserve(self, count: int) -> tuple[float, float]:
        """Take ``count`` slots."""
        self.state, start, interval = self.state.reserve(time.time(), count, self.ceiling)
        return start, interval

    async def flooded(self, retry_after: float) -> None:
        """Pause, and lower the rate."""
        self.state = self.state.flooded(time.time(), retry_after, self.ceiling)


class SendBudget:
    """Hands out one channel's slots to the senders of this process, highest priority first.

    Without a timeline there is no rate (the console); messages the bot starts itself still keep their
    distance per chat."""

    def __init__(self, timeline: Timeline | None = None, *, chat_spacing: float = CHAT_SPACING) -> None:
        self._timeline = timeline
        self._chat_spacing = chat_spacing
        self._chat_next: dict[str, float] = {}
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._slots: deque[float] = deque()
        self._granted: deque[float] = deque()
        """When the grants of the last second were made."""
        self._interval = 1.0 / timeline.ceiling if timeline is not None else 0.0
        self._last_grant = 0.0
        self._resume_at = 0.0
        self._flood = asyncio.Event()
        self._granter: asyncio.Task[None] | None = None

    async def acquire(self, priority: Priority, chat_id: str) -> None:
        """Wait for this chat's turn (unless replying) and then for a slot of the channel; ``SendDeadline``
        when the slot would come after the deadline of ``within``."""
        if priority is not Priority.REPLY:
            await self._chat_turn(chat_id)
        if self._timeline is not None:
            future = asyncio.get_running_loop().create_future()
            heapq.heappush(self._waiting, (priority, next(self._order), future))
            if self._granter is None or self._granter.done():
                self._granter = asyncio.create_task(self._grant())
            try:
                await asyncio.wait_for(future, _time_left())
            except TimeoutError:
                raise SendDeadline from None
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), time.time() + self._chat_spacing)

    async def flooded(self, retry_after: float) -> None:
        """The platform answered 429: every sender of the channel waits ``retry_after``, at a lower rate."""
        log.warning("flood control: the platform asked to pause for %.1f s", retry_after)
        self._resume_at = max(self._resume_at, time.time() + retry_after)
        self._give_up_slots()
        if self._timeline is None:
            await asyncio.sleep(retry_after)
            return
        await self._timeline.flooded(retry_after)
        self._give_up_slots()  # any taken meanwhile are at the old rate

    def _give_up_slots(self) -> None:
        self._slots.clear()
        self._flood.set()

    async def _chat_turn(self, chat_id: str) -> None:
        """Wait until ``chat_spacing`` after the last message to this chat, keeping the turn after it."""
        now = time.time()
        turn = max(now, self._chat_next.get(chat_id, 0.0))
        left = _time_left()
        if left is not None and turn - now >= left:
            raise SendDeadline
        self._chat_next[chat_id] = turn + self._chat_spacing
        if len(self._chat_next) > 10_000:
            self._chat_next = {chat: at for chat, at in self._chat_next.items() if at > now}
        if turn > now:
            await asyncio.sleep(turn - now)

    async def _grant(self) -> None:
        """Give each slot to the waiting sender with the highest priority, until none is waiting."""
        assert self._timeline is not None
        while self._live_waiters():
            fresh = not self._slots
            if fresh:
                await self._take_slots(self._timeline)
            self._give_up_late_slots(keep_one=fresh)
            if not self._slots:
                continue
            delay = max(self._slots[0], self._last_grant + self._interval / 2, self._resume_at,
                        self._window_opens()) - time.time()  # fmt: skip
            if delay > 0:
                self._flood.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._flood.wait(), delay)
                if self._flood.is_set() or not self._slots:
                    continue  # the slots in hand were given up for the pause
                if time.time() - self._slots[0] > OVERSLEPT * self._interval:
                    self._slots.popleft()
                    continue
            self._slots.popleft()
            waiters = self._live_waiters()
            if waiters:
                heapq.heappop(self._waiting)[2].set_result(None)
                self._last_grant = time.time()
                self._granted.append(self._last_grant)

    def _window_opens(self) -> float:
        """When the last second's grants leave room for one more: never more than the rate (rounded down)
        in any one second, however late slots were caught up."""
        room = max(1, int(1.0 / self._interval + 1e-9))
        while self._granted and self._granted[0] <= time.time() - 1.0:
            self._granted.popleft()
        return self._granted[-room] + 1.0 if len(self._granted) >= room else 0.0

    def _give_up_late_slots(self, *, keep_one: bool) -> None:
        """Slots this process could not use in time (its loop was busy) are not made up for: catching up
        would put more than the rate into the platform's one-second window, and after a stall every
        process would send its late slots at once. The rest go at most twice as fast as the rate. Of slots
        just taken, one is kept even if late, so that a slow process still sends."""
        late = time.time() - LATE_SLOTS * self._interval
        while self._slots and self._slots[0] < late and (len(self._slots) > 1 or not keep_one):
            self._slots.popleft()

    async def _take_slots(self, timeline: Timeline) -> None:
        count = min(self._live_waiters(), MAX_RESERVE, max(1, int(RESERVE_AHEAD / self._interval)))
        try:
            start, self._interval = await timeline.reserve(count)
        except Exception:  # the shared timeline is out of reach: pace this process alone meanwhile
            log.exception("could not reserve sending slots; pacing this process alone")
            start, self._interval = time.time(), 1.0 / timeline.ceiling
        self._slots.extend(start + n * self._interval for n in range(count))

    def _live_waiters(self) -> int:
        """How many senders still wait (a cancelled one is dropped)."""
        while self._waiting and self._waiting[0][2].done():
            heapq.heappop(self._waiting)
        return len(self._waiting)
