"""APScheduler drives the outbox and the timetable of housekeeping jobs.

The outbox job runs when the next row falls due: after each run it asks the database when that is, and a
row queued in this process wakes it at once (``wake``, called after the queuing transaction commits). A
routine check every ``ROUTINE_CHECK`` also catches rows queued by other processes. The jobs themselves
live in the database (the outbox table), not in APScheduler's memory, so a restart loses nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Final
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.clock import Clock
from bot.scheduling.delivery import Delivery
from bot.scheduling.housekeeping import Housekeeping

log = logging.getLogger(__name__)

ROUTINE_CHECK: Final = dt.timedelta(seconds=10)
OFFER_CHECK: Final = dt.timedelta(seconds=30)
PROGRESS_REPORT: Final = dt.timedelta(seconds=5)
"""How often a broadcast's sender sees its progress move (one message, edited in place)."""
OUTBOX_JOB: Final = "outbox"
SHUTDOWN_WAIT: Final = 30.0
SHUTDOWN_STEP: Final = 0.05


class Scheduler:
    """The running timetable of one process."""

    def __init__(
        self,
        delivery: Delivery,
        housekeeping: Housekeeping,
        clock: Clock,
        zone: ZoneInfo,
        *,
        digest_at: dt.time,
        purge_at: dt.time,
    ) -> None:
        self._delivery = delivery
        self._housekeeping = housekeeping
        self._clock = clock
        self._zone = zone
        self._digest_at = digest_at
        self._purge_at = purge_at
        self._apscheduler = AsyncIOScheduler(
            timezone=zone, job_defaults={"coalesce": True, "max_instances": 2, "misfire_grace_time": None}
        )
        self._delivering = False
        self._woken_for: dt.datetime | None = None

    def start(self) -> None:
        """Add the jobs and start; the outbox and the offers are looked at right away."""
        now = self._clock.now()
        add = self._apscheduler.add_job
        add(self._deliver, IntervalTrigger(seconds=ROUTINE_CHECK.total_seconds()), id=OUTBOX_JOB, next_run_time=now)
        add(self._housekeeping.expire_offers, IntervalTrigger(seconds=OFFER_CHECK.total_seconds()), id="offers",
            next_run_time=now)  # fmt: skip
        add(self._housekeeping.report_broadcasts, IntervalTrigger(seconds=PROGRESS_REPORT.total_seconds()),
            id="broadcast-progress", next_run_time=now)  # fmt: skip
        add(self._housekeeping.purge, self._daily(self._purge_at), id="purge")
        add(self._housekeeping.send_digests, self._daily(self._digest_at), id="digest")
        self._apscheduler.start()

    async def shutdown(self) -> None:
        """Start no more jobs, and let the batch being sent finish."""
        self._delivery.stop()
        if self._apscheduler.running:
            self._apscheduler.shutdown(wait=False)
        for _ in range(int(SHUTDOWN_WAIT / SHUTDOWN_STEP)):
            if not self._delivering:
                return
            await asyncio.sleep(SHUTDOWN_STEP)
        log.warning("stopped while sending; unsent rows are sent again after their lease")

    def next_run(self, job_id: str) -> dt.datetime | None:
        """When a job runs next."""
        job = self._apscheduler.get_job(job_id)
        return job.next_run_time if job is not None else None

    def wake(self, due: dt.datetime) -> None:
        """A row was queued for ``due``: make sure the outbox job runs by then."""
        if self._delivering:
            self._woken_for = min(due, self._woken_for or due)
            return
        self._run_outbox_at(due)

    def _daily(self, at: dt.time) -> CronTrigger:
        return CronTrigger(hour=at.hour, minute=at.minute, timezone=self._zone)

    async def _deliver(self) -> None:
        """Send what is due, until nothing is; then sleep until the next row is due."""
        if self._delivering:  # the run in progress goes on until nothing is due
            return
        self._delivering, next_due = True, None
        try:
            while self._apscheduler.running:
                self._woken_for = None
                await self._delivery.send_due()
                upcoming = [t for t in (await self._delivery.next_due(), self._woken_for) if t is not None]
                next_due = min(upcoming, default=None)
                if next_due is None or next_due > self._clock.now():
                    break
        finally:
            self._delivering = False
        if next_due is not None:
            self._run_outbox_at(next_due)

    def _run_outbox_at(self, when: dt.datetime) -> None:
        job = self._apscheduler.get_job(OUTBOX_JOB)
        if job is None:
            return
        when = max(when, self._clock.now())
        if job.next_run_time is None or when < job.next_run_time:
            job.modify(next_run_time=when)
