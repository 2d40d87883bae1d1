"""Benchmark: 100,000 reminders due within a few minutes, sent by ``haufo-bot run`` to a fake Bot API.

Run from the project root:  .venv/bin/python -m bench.reminders [--reminders 100000] [--window 300]

The database (SQLite in a temporary directory, or --database-url) gets one user and one day-before
reminder (text with "Still coming?" buttons) per recipient, due times spread evenly over --window seconds
starting --lead seconds from now. The bot runs as its own process with BROADCAST_RATE=0 (no per-second cap:
the benchmark measures the scheduler, not Telegram's 30 messages/s broadcast limit) against the fake Bot
API on loopback, which records when each sendMessage arrives. Lateness is arrival minus due time; peak
memory is the bot process's high-water mark (VmHWM).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from bot.app import build_app
from bot.config import PROJECT_ROOT, Settings
from bot.db.models import OutboxMessage, User
from tests.fake_bot_api.runner import running
from tests.fake_bot_api.server import FakeBotApi

FIRST_CHAT = 10_000_000
CHUNK = 5_000
TOUR = "spring-2027-son-tay"
EXPIRY = dt.timedelta(hours=2)


async def prepare(database_url: str, data_dir: Path, count: int, start: dt.datetime, window: float) -> None:
    """Migrate the database and queue ``count`` reminders due from ``start`` over ``window`` seconds."""
    settings = Settings(database_url=database_url, data_dir=data_dir, semantic_answers=False,
                        _env_file=None)  # type: ignore[call-arg]  # fmt: skip
    app = await build_app(settings)
    now = dt.datetime.now(dt.UTC)
    for first in range(0, count, CHUNK):
        numbers = range(first, min(count, first + CHUNK))
        async with app.sessions() as session, session.begin():
            users = [{"id": n + 1, "channel": "telegram", "external_id": str(FIRST_CHAT + n), "language": "en",
                      "role": "user", "created_at": now, "last_seen_at": now, "blocked": False}
                     for n in numbers]  # fmt: skip
            await session.execute(insert(User), users)
            rows = []
            for n in numbers:
                due = start + dt.timedelta(seconds=window * n / count)
                params = {"registration": n + 1, "offering": TOUR, "occasion": "2027-02-20T07:30:00+07:00",
                          "rule": "day-before", "ask": True, "venue": False, "every_class": False}  # fmt: skip
                rows.append({"user_id": n + 1, "channel": "telegram", "template": "reminder", "params": params,
                             "due_at": due, "status": "pending", "attempts": 0, "dedup_key": f"bench:{n}",
                             "subject": f"registration:{n + 1}", "expires_at": due + EXPIRY})  # fmt: skip
            await session.execute(insert(OutboxMessage), rows)
    await app.close()


def peak_memory_mb(pid: int) -> float:
    """The process's resident-memory high-water mark."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (values sorted)."""
    return values[min(len(values) - 1, int(len(values) * share))]


def main() -> None:
    """Queue, run the bot, measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--window", type=float, default=300.0, help="seconds over which they fall due")
    parser.add_argument("--lead", type=float, default=30.0, help="seconds before the first is due")
    parser.add_argument("--database-url", help="default: SQLite in a temporary directory")
    args = parser.parse_args()
    fake = FakeBotApi()
    with running(fake) as url, tempfile.TemporaryDirectory() as workdir:
        database_url = args.database_url or f"sqlite+aiosqlite:///{Path(workdir) / 'bench.db'}"
        start = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=args.lead)
        asyncio.run(prepare(database_url, Path(workdir) / "data", args.reminders, start, args.window))
        print(f"queued {args.reminders} reminders", file=sys.stderr)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env |= {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": url, "PYTHONPATH": str(PROJECT_ROOT),
                "DATABASE_URL": database_url, "SEMANTIC_ANSWERS": "false", "BROADCAST_RATE": "0"}  # fmt: skip
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=workdir, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            deadline = time.time() + args.lead + args.window + 600
            while (done := len(fake.calls_of("sendMessage"))) < args.reminders and time.time() < deadline:
                time.sleep(2)
                print(f"\r{done} sent", end="", file=sys.stderr)
            memory = peak_memory_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=60)
    calls = fake.calls_of("sendMessage")
    due = {FIRST_CHAT + n: start.timestamp() + args.window * n / args.reminders for n in range(args.reminders)}
    lateness = sorted(call.at - due[int(call.params["chat_id"])] for call in calls)
    chats = {int(call.params["chat_id"]) for call in calls}
    print(f"\n{args.reminders} reminders due over {args.window:g} s ({args.reminders / args.window:.0f}/s), "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}\n")  # fmt: skip
    print("| delivered | duplicates | lateness p50 s | p99 s | max s | peak memory MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(chats)} | {len(calls) - len(chats)} | {statistics.median(lateness):.3f} | "
          f"{percentile(lateness, 0.99):.3f} | {lateness[-1]:.3f} | {memory:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
