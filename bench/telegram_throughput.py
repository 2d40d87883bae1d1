"""Benchmark: updates through the whole stack (fake Bot API on loopback, SQLite) against a bare echo bot.

Run from the project root:  .venv/bin/python -m bench.telegram_throughput [--updates 2000] [--rate 100]

For each bot (haufo-bot run, and python-telegram-bot's echo example) on a fresh fake Bot API:
- burst: every update queued at once; updates per second until the last reply;
- paced: updates arriving at --rate per second; latency from arrival to the reply's sendMessage, p50/p99.
With --users U the updates come from U users in turn (returning users, as in a conversation); by
default every update comes from a new user (first contact: a new row in the database, the worst case).
The fake has no flood limit and haufo-bot runs with BROADCAST_RATE=0 (no sending budget): this measures
what the stack can do, not what Telegram allows (``bench.broadcast`` measures that).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.fake_bot_api import updates
from tests.fake_bot_api.runner import running
from tests.fake_bot_api.server import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
BOTS = {
    "haufo-bot": [sys.executable, "-m", "bot", "run"],
    "python-telegram-bot echo": [sys.executable, "-m", "bench.echo_bot"],
}


@dataclass
class Result:
    """One bot's figures."""

    burst_rate: float
    p50_ms: float
    p99_ms: float
    max_ms: float


@contextmanager
def bot(command: list[str], fake: FakeBotApi, url: str, workdir: Path, **settings: str) -> Iterator[None]:
    """A bot process polling ``url``, ready when it has asked for updates; ``settings`` override the bench's
    (no sending budget, no flood control: what the stack can do)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env |= {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": url, "PYTHONPATH": str(ROOT), "FLOOD_BURST": "0",
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'bench.db'}", "SEMANTIC_ANSWERS": "false",
            "BROADCAST_RATE": "0", **settings}  # fmt: skip
    process = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        fake.wait_until(lambda: fake.calls_of("getUpdates"), timeout=60)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def replies(fake: FakeBotApi) -> int:
    """How many replies were sent."""
    return len(fake.calls_of("sendMessage"))


def burst(command: list[str], count: int, users: int) -> float:
    """Updates per second with ``count`` updates from ``users`` users queued at once."""
    fake = FakeBotApi()
    with running(fake) as url, tempfile.TemporaryDirectory() as workdir, bot(command, fake, url, Path(workdir)):
        start = time.time()
        for index in range(count):
            fake.enqueue(updates.command(100_000 + index % users, "/help"))
        fake.wait_until(lambda: replies(fake) >= count, timeout=600)
        return count / (fake.calls_of("sendMessage")[-1].at - start)


def paced(command: list[str], count: int, rate: float, users: int) -> list[float]:
    """Reply latencies in milliseconds with updates from ``users`` users arriving at ``rate`` per second."""
    fake = FakeBotApi()
    with running(fake) as url, tempfile.TemporaryDirectory() as workdir, bot(command, fake, url, Path(workdir)):
        sent: dict[int, list[float]] = defaultdict(list)
        start = time.time()
        for index in range(count):
            time.sleep(max(0.0, start + index / rate - time.time()))
            user = 200_000 + index % users
            sent[user].append(time.time())
            fake.enqueue(updates.command(user, "/help"))
        fake.wait_until(lambda: replies(fake) >= count, timeout=600)
        answered: dict[int, list[float]] = defaultdict(list)
        for call in fake.calls_of("sendMessage"):
            answered[int(call.params["chat_id"])].append(call.at)
        # A user's replies come in the order of their messages: the k-th reply answers the k-th update.
        return [
            (reply - arrival) * 1000
            for user, arrivals in sent.items()
            for arrival, reply in zip(arrivals, answered[user], strict=True)
        ]


def main() -> None:
    """Run both bots and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--users", type=int, help="distinct users (default: one per update)")
    args = parser.parse_args()
    results: dict[str, Result] = {}
    for name, command in BOTS.items():
        users = args.users or args.updates
        rate = burst(command, args.updates, users)
        latencies = sorted(paced(command, args.updates, args.rate, users))
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        results[name] = Result(rate, statistics.median(latencies), p99, latencies[-1])
        print(f"{name}: done", file=sys.stderr)
    who = f"from {args.users} users in turn" if args.users else "each from a new user"
    print(f"{args.updates} updates {who}; paced at {args.rate:g}/s\n")
    print("| bot | burst updates/s | p50 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for name, result in results.items():
        print(f"| {name} | {result.burst_rate:.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.max_ms:.1f} |")
    ours, echo = results["haufo-bot"], results["python-telegram-bot echo"]
    print(f"\nhaufo-bot throughput = {ours.burst_rate / echo.burst_rate:.2f} x the echo bot's")


if __name__ == "__main__":
    main()
