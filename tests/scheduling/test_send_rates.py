"""The shared rate: processes on one database never take the same slots, and a 429 seen by one pauses all."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from bot.channels.pacing import DECREASE
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade_database
from bot.scheduling.send_rates import SharedTimeline


async def test_two_processes_share_one_line_of_slots_and_one_pause(database_url: str) -> None:
    engines = [create_engine(database_url) for _ in range(2)]  # one engine per process, as two processes have
    await upgrade_database(engines[0])
    first, second = (SharedTimeline(create_sessionmaker(engine), "telegram", ceiling=25) for engine in engines)
    other_channel = SharedTimeline(create_sessionmaker(engines[0]), "zalo", ceiling=25)
    try:
        taken = await asyncio.gather(*(timeline.reserve(3) for timeline in (first, second) * 10))
        slots = sorted(start + n * interval for start, interval in taken for n in range(3))
        gaps = [later - earlier for earlier, later in itertools.pairwise(slots)]
        assert min(gaps) == pytest.approx(1 / 25), "sixty slots, each 1/25 s after the one before"

        now = time.time()
        await first.flooded(retry_after=5)
        start, interval = await second.reserve(1)
        assert start >= now + 5, "the other process waits out the pause too"
        assert interval == pytest.approx(1 / (25 * DECREASE), rel=0.01), "at the lowered rate"
        idle_start, _ = await other_channel.reserve(1)
        assert idle_start < now + 1, "another channel has its own budget"
    finally:
        for engine in engines:
            await engine.dispose()
