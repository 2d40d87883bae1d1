"""Benchmark: broadcasts and bursts against a fake Bot API that enforces Telegram's flood limit.

Run from the project root:
    .venv/bin/python -m bench.broadcast [--recipients 10000] [--limit 30] [--blocked 0.03] [--starts 600]
                                        [--baseline COMMIT] [--skip-kill]

The fake answers every send beyond ``--limit`` in any one-second window with 429 and ``retry_after`` 1, as
Telegram does for bulk messages, and 403 for the ``--blocked`` share of recipients. Every bot process runs
with the default settings, on SQLite. The scenarios:

1. **from the chat**: ``haufo-bot run`` is running (long polling) when one announcement (texts in three
   languages) is queued for ``--recipients`` people in seven languages, as the chat's compose flow queues
   it; the bot alone delivers it. Meanwhile a new user writes ``/start`` every second: the latency of
   those replies. Reported: the achieved rate as a share of the limit, 429s provoked, lost and duplicated
   deliveries, seconds until every delivery was done. The rate counts every send the fake accepted
   between the broadcast's first and last send, the replies included: they draw on the same limit.
2. **from the command line**: the same, sent with ``haufo-bot broadcast`` while ``haufo-bot run`` runs;
   both processes deliver it, within one shared rate.
3. **600 × /start**: ``--starts`` new users send ``/start`` at once to ``haufo-bot run``: the time until
   the last one has an answer, and the 429s provoked.
4. **killed**: the broadcast is queued, ``haufo-bot run`` delivers it and is SIGKILLed at a random
   moment, then restarted: lost and duplicated deliveries, and when it ended. A row in flight at the kill
   is sent again once its lease (``OUTBOX_LEASE_SECONDS``, 120) runs out.

``--baseline COMMIT`` runs scenarios 1 to 3 on that commit too, in the same run (its own worktree and
locked environment, built with ``make install``), and prints both side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.fake_bot_api import updates
from tests.fake_bot_api.runner import running
from tests.fake_bot_api.server import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
FIRST_CHAT = 20_000_000
FIRST_PROBE = 30_000_000
FIRST_STARTER = 40_000_000
ANNOUNCEMENT = """\
vi: "Kính gửi quý vị: lễ trồng cây hữu nghị ngày 27/1 bắt đầu lúc 9 giờ tại Công viên Hòa Bình."
en: "Dear friends: the friendship tree planting on 27 January starts at 9:00 in Peace Park."
fr: "Chers amis : la plantation d’arbres de l’amitié du 27 janvier commence à 9 h au parc de la Paix."
button: peace-tree-planting
"""
PREPARE = """
import asyncio, datetime as dt, sys
from pathlib import Path
from sqlalchemy import insert
from bot.app import build_app
from bot.config import Settings
from bot.core.languages import LANGUAGES
from bot.db.models import User

async def prepare(url, data, count, first):
    app = await build_app(Settings(database_url=url, data_dir=Path(data), semantic_answers=False, _env_file=None))
    now = dt.datetime.now(dt.UTC)
    for start in range(0, count, 5000):
        async with app.sessions() as session, session.begin():
            await session.execute(insert(User), [
                {"channel": "telegram", "external_id": str(first + n), "language": LANGUAGES[n % len(LANGUAGES)],
                 "role": "user", "created_at": now, "last_seen_at": now, "blocked": False}
                for n in range(start, min(count, start + 5000))])
    await app.close()

asyncio.run(prepare(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
"""
QUEUE = """
import asyncio, sys
from pathlib import Path
from bot.app import build_app
from bot.config import Settings
from bot.services.broadcasts import Broadcasts, parse_audience, read_announcement

async def queue(url, data, file):
    app = await build_app(Settings(database_url=url, data_dir=Path(data), semantic_answers=False, _env_file=None))
    async with app.sessions() as session, session.begin():
        await Broadcasts(session, app.clock).send(read_announcement(Path(file), app.content),
                                                  parse_audience("everyone", app.content), urgent=False,
                                                  channels=["telegram"])
    await app.close()

asyncio.run(queue(sys.argv[1], sys.argv[2], sys.argv[3]))
"""


@dataclass(frozen=True)
class Tree:
    """A source tree and the Python of its locked environment."""

    name: str
    path: Path
    python: str


@dataclass
class Figures:
    """What one scenario measured."""

    rate_share: float = float("nan")
    too_many: int = 0
    lost: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    reply_ms: list[float] = field(default_factory=list)
    note: str = ""


class Bench:
    """One fake Bot API and a working directory, for one scenario on one tree."""

    def __init__(self, tree: Tree, limit: float, workdir: Path) -> None:
        self.tree, self.workdir = tree, workdir
        self.fake = FakeBotApi()
        self.fake.limit(limit)
        self.database = workdir / "bench.db"

    def env(self, url: str) -> dict[str, str]:
        """The environment of a bot process: default settings, this fake, this database."""
        ours = ("TELEGRAM_", "WEBHOOK_", "OUTBOX_", "BROADCAST_")
        env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
        return env | {"TELEGRAM_TOKEN": self.fake.token, "TELEGRAM_API_URL": url, "PYTHONPATH": str(self.tree.path),
                      "DATABASE_URL": f"sqlite+aiosqlite:///{self.database}", "SEMANTIC_ANSWERS": "false"}  # fmt: skip

    def script(self, code: str, url: str, *args: object) -> None:
        """Run ``code`` with the tree's Python (preparing the database, queueing a broadcast)."""
        db_url = f"sqlite+aiosqlite:///{self.database}"
        subprocess.run([self.tree.python, "-c", code, db_url, str(self.workdir / "data"), *map(str, args)],
                       cwd=self.workdir, env=self.env(url), check=True)  # fmt: skip

    @contextlib.contextmanager
    def bot(self, url: str) -> Iterator[subprocess.Popen[bytes]]:
        """``haufo-bot run``, ready once it polls; stopped (SIGTERM) at the end unless it was killed."""
        calls = len(self.fake.calls_of("getUpdates"))
        process = subprocess.Popen([self.tree.python, "-m", "bot", "run"], cwd=self.workdir, env=self.env(url),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            self.fake.wait_until(lambda: len(self.fake.calls_of("getUpdates")) > calls, timeout=120)
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=60)


@contextlib.contextmanager
def steady_instrument() -> Iterator[None]:
    """No automatic garbage collection in this process while a scenario runs: the fake shares it, and a
    collection's pause would stamp the requests that arrived meanwhile late, all at once, counting them
    as a burst the bot never sent (Telegram's counters do not stop)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def messages_per_chat(fake: FakeBotApi, first: int, count: int) -> Counter[int]:
    """How many messages each of ``count`` chats from ``first`` holds at the fake."""
    with fake._lock:  # a consistent snapshot of the fake's messages
        chats = [int(chat) for chat, _ in fake.outbox.messages]
    return Counter(chat for chat in chats if first <= chat < first + count)


def outbox_open(database: Path) -> int:
    """Outbox rows not finished yet (pending, or in a sender's hands)."""
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
        (count,) = connection.execute("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')").fetchone()
    return int(count)


def poll(predicate: Callable[[], bool], timeout: float, every: float = 0.2) -> None:
    """Wait until ``predicate`` holds, looking seldom (the fake shares this process)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{getattr(predicate, '__name__', 'condition')} not met within {timeout:.0f} s")
        time.sleep(every)


def probe(bench: Bench, stop: threading.Event, written: dict[int, float]) -> None:
    """A new user writes /start every second until ``stop``; when each wrote."""
    for n in range(100_000):
        if stop.wait(1.0):
            return
        written[FIRST_PROBE + n] = time.time()
        bench.fake.enqueue(updates.command(FIRST_PROBE + n, "/start"))


def reply_latencies(fake: FakeBotApi, written: dict[int, float]) -> list[float]:
    """Milliseconds from each probe's /start to the last message of its answer (a refused send is followed
    by the one that went through)."""
    last: dict[int, float] = {}
    for call in fake.calls_of("sendMessage"):
        chat = int(call.params["chat_id"])
        if chat in written:
            last[chat] = call.at
    return [(last[chat] - at) * 1000 for chat, at in written.items() if chat in last]


def achieved_rate(fake: FakeBotApi, args: argparse.Namespace) -> float:
    """Sends a second the fake accepted (replies to the probes included: they share the limit) from the
    broadcast's first send to its last."""
    calls = fake.calls_of("sendMessage")
    copies = [call.at for call in calls if FIRST_CHAT <= int(call.params["chat_id"]) < FIRST_CHAT + args.recipients]
    first, last = min(copies), max(copies)
    within = sum(1 for call in calls if first <= call.at <= last)
    return (within - fake.too_many) / (last - first)


def blocked_chats(args: argparse.Namespace) -> set[int]:
    """The recipients who blocked the bot."""
    step = round(1 / args.blocked) if args.blocked else 0
    return {FIRST_CHAT + n for n in range(0, args.recipients, step)} if step else set()


def broadcast(tree: Tree, args: argparse.Namespace, *, command_line: bool) -> Figures:
    """Scenarios 1 and 2: a broadcast while ``haufo-bot run`` runs and answers new users; queued as the chat
    does (the bot alone delivers it) or sent with ``haufo-bot broadcast`` (both processes deliver it)."""
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(tree, args.limit, Path(tmp))
        blocked = blocked_chats(args)
        for chat in blocked:
            bench.fake.block(chat)
        with running(bench.fake) as url, steady_instrument():
            bench.script(PREPARE, url, args.recipients, FIRST_CHAT)
            (bench.workdir / "announcement.yaml").write_text(ANNOUNCEMENT, encoding="utf-8")
            with bench.bot(url):
                started = time.monotonic()
                if command_line:
                    command = [tree.python, "-m", "bot", "broadcast", "announcement.yaml", "--audience", "everyone"]
                    sender = subprocess.Popen(command, cwd=bench.workdir, env=bench.env(url), text=True,
                                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip
                    poll(lambda: outbox_open(bench.database) > 0, timeout=120, every=0.05)
                else:
                    bench.script(QUEUE, url, bench.workdir / "announcement.yaml")
                stop, written = threading.Event(), dict[int, float]()
                prober = threading.Thread(target=probe, args=(bench, stop, written))
                prober.start()  # after the broadcast was queued: the probes are not in its audience
                if command_line:
                    output, _ = sender.communicate(timeout=3600)
                    note = f"exit {sender.returncode}: " + (output.strip().splitlines() or ["(no output)"])[-1]
                poll(lambda: outbox_open(bench.database) == 0, timeout=3600, every=1.0)
                seconds = time.monotonic() - started
                stop.set()
                prober.join()
                time.sleep(3)  # the last probe's answer
        received = messages_per_chat(bench.fake, FIRST_CHAT, args.recipients)
        return Figures(rate_share=achieved_rate(bench.fake, args) / args.limit, too_many=bench.fake.too_many,
                       lost=args.recipients - len(blocked) - len(received),
                       duplicates=sum(count - 1 for count in received.values()), seconds=seconds,
                       reply_ms=reply_latencies(bench.fake, written),
                       note=note if command_line else "")  # fmt: skip


def starts(tree: Tree, args: argparse.Namespace) -> Figures:
    """Scenario 2: ``--starts`` new users send /start at once."""
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(tree, args.limit, Path(tmp))
        with running(bench.fake) as url, steady_instrument(), bench.bot(url):
            chats = set(range(FIRST_STARTER, FIRST_STARTER + args.starts))
            started = time.time()
            for chat in sorted(chats):
                bench.fake.enqueue(updates.command(chat, "/start"))
            poll(lambda: len(messages_per_chat(bench.fake, FIRST_STARTER, args.starts)) == len(chats), timeout=600)
            answered = [call.at for call in bench.fake.calls_of("sendMessage")]
        return Figures(too_many=bench.fake.too_many, seconds=max(answered) - started)


def killed(tree: Tree, args: argparse.Namespace) -> Figures:
    """Scenario 3: the running bot SIGKILLed at a random moment of a broadcast, and restarted."""
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(tree, args.limit, Path(tmp))
        blocked = blocked_chats(args)
        for chat in blocked:
            bench.fake.block(chat)
        expected = args.recipients - len(blocked)
        kill_after = random.randint(expected // 5, expected * 4 // 5)
        with running(bench.fake) as url, steady_instrument():
            bench.script(PREPARE, url, args.recipients, FIRST_CHAT)
            (bench.workdir / "announcement.yaml").write_text(ANNOUNCEMENT, encoding="utf-8")
            bench.script(QUEUE, url, bench.workdir / "announcement.yaml")
            started = time.monotonic()
            with bench.bot(url) as process:
                poll(lambda: sum(messages_per_chat(bench.fake, FIRST_CHAT, args.recipients).values()) >= kill_after,
                     timeout=1200)  # fmt: skip
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
            sent_at_kill = sum(messages_per_chat(bench.fake, FIRST_CHAT, args.recipients).values())
            with bench.bot(url):
                poll(lambda: outbox_open(bench.database) == 0, timeout=1800, every=1.0)
            seconds = time.monotonic() - started
        received = messages_per_chat(bench.fake, FIRST_CHAT, args.recipients)
        return Figures(too_many=bench.fake.too_many, lost=expected - len(received),
                       duplicates=sum(count - 1 for count in received.values()), seconds=seconds,
                       note=f"killed after {sent_at_kill} deliveries")  # fmt: skip


@contextlib.contextmanager
def baseline_tree(commit: str) -> Iterator[Tree]:
    """``commit`` checked out beside this tree, with its own locked environment."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(path), commit], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        try:
            subprocess.run(["make", "install"], cwd=path, check=True, capture_output=True)
            yield Tree(commit[:7], path, str(path / ".venv" / "bin" / "python"))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, check=False)


def milliseconds(values: list[float]) -> str:
    """Median and maximum."""
    return f"{statistics.median(values):.0f} / {max(values):.0f}" if values else "–"


def main() -> None:
    """Run the scenarios and print tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=30.0, help="sends a second the fake allows")
    parser.add_argument("--blocked", type=float, default=0.03, help="share of recipients who blocked the bot")
    parser.add_argument("--starts", type=int, default=600, help="users sending /start at once")
    parser.add_argument("--baseline", help="a commit to measure in the same run, for comparison")
    parser.add_argument("--skip-kill", action="store_true", help="leave out the SIGKILL scenario")
    args = parser.parse_args()
    trees = [Tree("this tree", ROOT, sys.executable)]
    with contextlib.ExitStack() as stack:
        if args.baseline:
            trees.insert(0, stack.enter_context(baseline_tree(args.baseline)))
        results = {}
        for tree in trees:
            chat = broadcast(tree, args, command_line=False)
            both = broadcast(tree, args, command_line=True)
            results[tree.name] = (chat, both, starts(tree, args))
            print(f"{tree.name}: done", file=sys.stderr, flush=True)
        crash = None if args.skip_kill else killed(trees[-1], args)
    blocked = len(blocked_chats(args))
    print(f"\nThe fake allows {args.limit:g} sends/s. Broadcast: {args.recipients} recipients, {blocked} of them "
          f"blocked, while `haufo-bot run` answers a new user's /start every second; queued as the chat does "
          f"(the bot alone sends it), or sent with `haufo-bot broadcast` (both processes send it). Burst: "
          f"{args.starts} new users send /start at once.\n")  # fmt: skip
    print("| code | broadcast from | rate / limit | 429s | lost | duplicates | seconds | replies meanwhile, "
          "median / max ms |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, (chat, both, _) in results.items():
        for where, sent in (("the chat", chat), ("the command line", both)):
            print(f"| {name} | {where} | {sent.rate_share:.3f} | {sent.too_many} | {sent.lost} | "
                  f"{sent.duplicates} | {sent.seconds:.0f} | {milliseconds(sent.reply_ms)} |")  # fmt: skip
    print(f"\n| code | {args.starts} × /start: last answer after | 429s |\n|---|---:|---:|")
    for name, (_, _, burst) in results.items():
        print(f"| {name} | {burst.seconds:.1f} s | {burst.too_many} |")
    for name, (_, both, _) in results.items():
        print(f"\n{name}, the command line: {both.note}")
    if crash is not None:
        print(f"\nKilled (SIGKILL) and restarted during the broadcast ({crash.note}): lost {crash.lost}, "
              f"duplicates {crash.duplicates}, 429s {crash.too_many}, "
              f"all done after {crash.seconds:.0f} s.")  # fmt: skip


if __name__ == "__main__":
    main()
