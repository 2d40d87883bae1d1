"""Benchmark: one user floods the bot while others keep talking to it; flood control on and off, same run.

Run from the project root:  .venv/bin/python -m bench.flood [--messages 200] [--seconds 5]

``haufo-bot run`` polls a fake Bot API on loopback (SQLite, the default sending budget of 28 messages a
second, as Telegram allows). One user sends ``--messages`` messages over ``--seconds``; meanwhile ten other
users each send /start every half second. Reported: the others' reply latency (arrival to the reply's
sendMessage, p50 / p95 / max) and how many replies the flooder got, with flood control as configured
(FLOOD_BURST=8, FLOOD_RATE=1) and without it (FLOOD_BURST=0).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.telegram_throughput import BOTS, bot
from tests.fake_bot_api import updates
from tests.fake_bot_api.runner import running
from tests.fake_bot_api.server import FakeBotApi

FLOODER, OTHERS = 500_000, range(500_001, 500_011)


def run(messages: int, seconds: float, flood_burst: int) -> tuple[list[float], int]:
    """The other users' latencies in ms (to the first message of each answer), and the flooder's replies."""
    fake, settings = FakeBotApi(), {"FLOOD_BURST": str(flood_burst), "BROADCAST_RATE": "28"}
    with (
        running(fake) as url,
        tempfile.TemporaryDirectory() as workdir,
        bot(BOTS["haufo-bot"], fake, url, Path(workdir), **settings),
    ):
        for user in OTHERS:  # first contact before the measurement
            fake.enqueue(updates.command(user, "/start"))
        fake.wait_until(lambda: all(fake.messages_in(user) for user in OTHERS), timeout=60)
        time.sleep(2)  # every part of those first answers sent
        fake.clear_calls()
        sent: dict[int, list[float]] = defaultdict(list)
        start, next_round = time.time(), 0.0
        for index in range(messages):
            time.sleep(max(0.0, start + index * seconds / messages - time.time()))
            fake.enqueue(updates.text_message(FLOODER, f"spam {index}"))
            if time.time() - start >= next_round:
                for user in OTHERS:
                    sent[user].append(time.time())
                    fake.enqueue(updates.command(user, "/start"))
                next_round += 0.5
        fake.wait_until(lambda: not fake.pending(), timeout=300)
        time.sleep(3)
        answered: dict[int, list[float]] = defaultdict(list)
        for call in fake.calls_of("sendMessage"):
            answered[int(call.params["chat_id"])].append(call.at)
        latencies = [(_first_after(answered[user], arrival) - arrival) * 1000
                     for user, arrivals in sent.items() for arrival in arrivals]  # fmt: skip
        return latencies, len(answered[FLOODER])


def _first_after(replies: list[float], arrival: float) -> float:
    """When the first message answering an update that arrived at ``arrival`` was sent."""
    return next(reply for reply in replies if reply >= arrival)


def main() -> None:
    """Both configurations, one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(f"{args.messages} messages from one user in {args.seconds:g} s; 10 others send /start every 0.5 s\n")
    print("| flood control | others' reply p50 | p95 | max | replies to the flooder |")
    print("|---|---:|---:|---:|---:|")
    for label, burst in (("on (FLOOD_BURST=8, FLOOD_RATE=1)", 8), ("off (FLOOD_BURST=0)", 0)):
        latencies, flooder = run(args.messages, args.seconds, burst)
        cut = statistics.quantiles(latencies, n=20)
        print(f"| {label} | {statistics.median(latencies):.0f} ms | {cut[18]:.0f} ms | {max(latencies):.0f} ms "
              f"| {flooder} |")  # fmt: skip


if __name__ == "__main__":
    main()
