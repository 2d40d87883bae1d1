"""Fault suite and throughput: several ``haufo-bot run`` workers on one PostgreSQL, behind the webhook.

Run from the project root (PostgreSQL: TEST_POSTGRES_URL, else the local server ``.ci/postgres.sh`` starts):
    .venv/bin/python -m bench.workers [--recipients 2000] [--updates 2000] [--only NAME ...]
    .venv/bin/python -m bench.workers --smoke          (``make workers-smoke``)

The bench plays Telegram and the reverse proxy: a fake Bot API on loopback takes the workers' calls, and the
bench posts updates to the workers' webhooks in turn (round robin), as a proxy in front of them would. Each
scenario has a database of its own and every worker runs with the default settings unless said otherwise.

- ``throughput``: updates a second with one worker and with two. Every update is a /start from a new user,
  posted by 32 concurrent senders; a webhook call returns once its answer was sent. No flood limit and
  ``BROADCAST_RATE=0``, as in ``bench.telegram_throughput``: this measures the stack, not Telegram's limit.
- ``broadcast``: two workers deliver one broadcast to ``--recipients`` people (3 % of them blocked the bot)
  against a fake enforcing Telegram's 30 messages a second: every delivery exactly once, the 429s, and the
  most sends the fake accepted in any one second.
- ``kill-broadcast`` and ``kill-reminders``: the same broadcast, or as many reminders all due now; one worker
  is SIGKILLed at a random moment and restarted. Lost (must be 0) and duplicates: a row in flight at the kill
  is sent again once its lease (``OUTBOX_LEASE_SECONDS``, 120) runs out, at most one per sender slot (8).
- ``database-down``: a worker starts while PostgreSQL is unreachable (its port closed), which opens 8 s
  later: what the worker said meanwhile, and when it answered its first update.
- ``api-trouble``: the broadcast while the Bot API answers bursts of 500s (10 in a row) and then 429s (2 in
  a row) every ten seconds: lost and duplicates.
- ``--smoke``: two workers, 200 new users' /start and one person's registration form, its answers dealt to
  the two workers in turn: every update answered once and the form complete.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, insert, make_url, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.broadcast import ANNOUNCEMENT, messages_per_chat, poll, steady_instrument
from bench.reminders import prepare as prepare_reminders
from bot.app import build_app
from bot.channels.telegram.webhook import TELEGRAM_SECRET_HEADER, TELEGRAM_WEBHOOK_PATH
from bot.config import PROJECT_ROOT, Settings
from bot.core.languages import LANGUAGES
from bot.db.models import DialogState, OutboxMessage, OutboxStatus, User
from bot.services.broadcasts import Broadcasts, parse_audience, read_announcement
from tests.fake_bot_api import updates
from tests.fake_bot_api.runner import running
from tests.fake_bot_api.server import FakeBotApi
from tests.tcp_forwarder import forward

FIRST_CHAT = 20_000_000
FIRST_STARTER = 40_000_000
SECRET = "bench-webhook-secret"
FIRST_PORT = 8090
SENDERS = 32
BLOCKED_EVERY = 33  # about 3 %
DOWN_FOR = 8.0
TROUBLE_EVERY = 10.0


def postgres_server() -> str:
    """The PostgreSQL server to run on."""
    return (
        os.environ.get("TEST_POSTGRES_URL")
        or subprocess.run(
            ["bash", str(PROJECT_ROOT / ".ci" / "postgres.sh")], check=True, capture_output=True, text=True
        ).stdout.strip()
    )


class Database:
    """A fresh database on the server for one scenario, and queries on it from the bench."""

    def __init__(self, server: str, runner: asyncio.Runner) -> None:
        self.server, self.runner = server, runner
        self.name = f"haufo_bench_{uuid.uuid4().hex[:10]}"
        self.url = make_url(server).set(database=self.name).render_as_string(hide_password=False)
        self._admin("CREATE DATABASE")
        self.engine: AsyncEngine = create_async_engine(self.url)

    def _admin(self, verb: str) -> None:
        async def run() -> None:
            admin = create_async_engine(self.server, isolation_level="AUTOCOMMIT")
            async with admin.connect() as connection:
                suffix = " WITH (FORCE)" if verb.startswith("DROP") else ""
                await connection.execute(text(f'{verb} "{self.name}"{suffix}'))
            await admin.dispose()

        self.runner.run(run())

    def scalar(self, statement: Any) -> Any:
        """One value."""

        async def run() -> Any:
            async with self.engine.connect() as connection:
                return await connection.scalar(statement)

        return self.runner.run(run())

    def open_rows(self) -> int:
        """Outbox rows not finished yet."""
        return int(self.scalar(select(func.count()).where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))))  # fmt: skip

    def drop(self) -> None:
        self.runner.run(self.engine.dispose())
        self._admin("DROP DATABASE IF EXISTS")


def settings(database: Database, workdir: Path) -> Settings:
    """Settings for preparing the scenario's data from the bench."""
    return Settings(database_url=database.url, data_dir=workdir, semantic_answers=False, secret_key=SECRET,
                    webhook_secret=SECRET, _env_file=None)  # type: ignore[call-arg]  # fmt: skip


async def prepare_recipients(database: Database, workdir: Path, count: int) -> None:
    """``count`` users in the seven languages, for a broadcast to everyone."""
    app = await build_app(settings(database, workdir))
    now = app.clock.now()
    rows = [{"channel": "telegram", "external_id": str(FIRST_CHAT + n), "language": LANGUAGES[n % len(LANGUAGES)],
             "role": "user", "created_at": now, "last_seen_at": now, "blocked": False}
            for n in range(count)]  # fmt: skip
    async with app.sessions() as session, session.begin():
        await session.execute(insert(User), rows)
    await app.close()


async def queue_broadcast(database: Database, workdir: Path) -> None:
    """One announcement to everyone, queued as the chat's compose flow queues it."""
    app = await build_app(settings(database, workdir))
    (workdir / "announcement.yaml").write_text(ANNOUNCEMENT, encoding="utf-8")
    async with app.sessions() as session, session.begin():
        await Broadcasts(session, app.clock).send(read_announcement(workdir / "announcement.yaml", app.content),
                                                  parse_audience("everyone", app.content), urgent=False,
                                                  channels=["telegram"])  # fmt: skip
    await app.close()


class Workers:
    """``haufo-bot run`` processes on one database, each with its webhook on its own port."""

    def __init__(self, fake: FakeBotApi, api_url: str, database_url: str, workdir: Path, **env: str) -> None:
        self.fake, self.api_url, self.database_url, self.workdir, self.extra = fake, api_url, database_url, workdir, env
        self.processes: dict[int, subprocess.Popen[bytes]] = {}

    def port(self, worker: int) -> int:
        return FIRST_PORT + worker

    def start(self, worker: int, *, wait: bool = True, database_url: str | None = None) -> subprocess.Popen[bytes]:
        """Start worker ``worker`` (0, 1, …); with ``wait``, return once it answers ``/healthz``."""
        port = self.port(worker)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "BROADCAST_"))}
        env |= {"TELEGRAM_TOKEN": self.fake.token, "TELEGRAM_API_URL": self.api_url, "PORT": str(port),
                "WEBHOOK_BASE_URL": f"http://127.0.0.1:{port}", "WEBHOOK_SECRET": SECRET, "SECRET_KEY": SECRET,
                "DATABASE_URL": database_url or self.database_url, "SEMANTIC_ANSWERS": "false",
                "PYTHONPATH": str(PROJECT_ROOT), **self.extra}  # fmt: skip
        log = (self.workdir / f"worker-{worker}.log").open("ab")
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=self.workdir, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        self.processes[worker] = process
        if wait:
            self.wait_ready(worker)
        return process

    def wait_ready(self, worker: int, timeout: float = 120) -> float:
        """Seconds until the worker answers ``/healthz``."""
        started, deadline = time.monotonic(), time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[worker].poll() is not None:
                raise RuntimeError(f"worker {worker} exited: see {self.workdir / f'worker-{worker}.log'}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{self.port(worker)}/healthz", timeout=2).status_code == 200:
                    return time.monotonic() - started
            time.sleep(0.1)
        raise TimeoutError(f"worker {worker} not ready within {timeout:.0f} s")

    def kill(self, worker: int) -> None:
        self.processes[worker].send_signal(signal.SIGKILL)
        self.processes[worker].wait(timeout=30)

    def log(self, worker: int) -> str:
        return (self.workdir / f"worker-{worker}.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=60)


@contextlib.contextmanager
def scenario(server: str, runner: asyncio.Runner, *, limit: float | None = 30.0,
             **env: str) -> Iterator[tuple[FakeBotApi, Database, Workers, Path]]:  # fmt: skip
    """A fake Bot API (with Telegram's flood limit unless ``limit`` is None), a fresh database, a working
    directory and the workers to start; all gone afterwards."""
    fake = FakeBotApi()
    fake.limit(limit)
    database = Database(server, runner)
    with tempfile.TemporaryDirectory() as tmp, running(fake) as url, steady_instrument():
        workers = Workers(fake, url, database.url, Path(tmp), **env)
        try:
            yield fake, database, workers, Path(tmp)
        finally:
            workers.stop()
            database.drop()


def post(fake: FakeBotApi, ports: list[int], batch: list[dict[str, Any]], senders: int = SENDERS) -> float:
    """Post ``batch`` to the workers' webhooks in turn, ``senders`` at a time; seconds until every call
    returned (a call returns once its update was answered)."""
    for update_id, update in enumerate(batch, start=int(time.time() * 1000) % 1_000_000_000):
        update["update_id"] = update_id
        with fake._lock:  # the fake learns the chats, as if the updates had come through it
            fake.outbox.learn_chats(update)

    async def run() -> float:
        queue: asyncio.Queue[tuple[int, dict[str, Any]]] = asyncio.Queue()
        for n, update in enumerate(batch):
            queue.put_nowait((ports[n % len(ports)], update))
        async with httpx.AsyncClient(timeout=60) as client:

            async def sender() -> None:
                while not queue.empty():
                    port, update = queue.get_nowait()
                    response = await client.post(f"http://127.0.0.1:{port}{TELEGRAM_WEBHOOK_PATH}", json=update,
                                                 headers={TELEGRAM_SECRET_HEADER: SECRET})  # fmt: skip
                    response.raise_for_status()

            started = time.monotonic()
            await asyncio.gather(*(sender() for _ in range(senders)))
            return time.monotonic() - started

    return asyncio.run(run())


def busiest_second(fake: FakeBotApi) -> int:
    """The most sends the fake's flood limit let through in any one-second window."""
    with fake._lock:
        accepted = sorted(fake.accepted_sends)
    most, start = 0, 0
    for end, at in enumerate(accepted):
        while at - accepted[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


@dataclass
class Delivered:
    """How a batch of messages reached its recipients."""

    expected: int
    lost: int
    duplicates: int
    seconds: float
    too_many: int
    busiest: int
    note: str = ""

    def row(self, name: str) -> str:
        return (f"| {name} | {self.expected} | {self.lost} | {self.duplicates} | {self.too_many} | {self.busiest} | "
                f"{self.seconds:.0f} | {self.note} |")  # fmt: skip


def delivered(fake: FakeBotApi, count: int, blocked: set[int], seconds: float, note: str = "",
              first: int = FIRST_CHAT) -> Delivered:  # fmt: skip
    """How ``count`` messages to the chats from ``first`` (less the ``blocked`` ones) arrived."""
    received = messages_per_chat(fake, first, count)
    expected = count - len(blocked)
    return Delivered(expected, expected - len(set(received) - blocked), sum(n - 1 for n in received.values()),
                     seconds, fake.too_many, busiest_second(fake), note)  # fmt: skip


def block_some(fake: FakeBotApi, count: int) -> set[int]:
    blocked = {FIRST_CHAT + n for n in range(0, count, BLOCKED_EVERY)}
    for chat in blocked:
        fake.block(chat)
    return blocked


def throughput(server: str, runner: asyncio.Runner, count: int, workers: int) -> float:
    """Updates a second through ``workers`` workers."""
    with scenario(server, runner, limit=None, BROADCAST_RATE="0") as (fake, _, pool, _):
        for worker in range(workers):
            pool.start(worker)
        ports = [pool.port(worker) for worker in range(workers)]
        post(fake, ports, [updates.command(FIRST_STARTER - 1 - n, "/start") for n in range(SENDERS)])  # warm up
        seconds = post(fake, ports, [updates.command(FIRST_STARTER + n, "/start") for n in range(count)])
        answered = len(messages_per_chat(fake, FIRST_STARTER, count))
        assert answered == count, f"{count - answered} updates unanswered"
        return count / seconds


def broadcast(server: str, runner: asyncio.Runner, count: int, *, kill: bool = False,
              trouble: bool = False) -> Delivered:  # fmt: skip
    """Two workers deliver a broadcast; optionally one is killed and restarted, or the API misbehaves."""
    with scenario(server, runner) as (fake, database, pool, workdir):
        blocked = block_some(fake, count)
        runner.run(prepare_recipients(database, workdir, count))
        pool.start(0)
        pool.start(1)
        started = time.monotonic()
        runner.run(queue_broadcast(database, workdir))
        stop, note = threading.Event(), ""
        if trouble:
            injected = Counter[int]()
            threading.Thread(target=misbehave, args=(fake, stop, injected), daemon=True).start()
        if kill:
            at = random.randint(count // 5, count * 4 // 5)
            poll(lambda: sum(messages_per_chat(fake, FIRST_CHAT, count).values()) >= at, timeout=900, every=0.1)
            pool.kill(1)
            note = f"killed after {sum(messages_per_chat(fake, FIRST_CHAT, count).values())} deliveries"
            pool.start(1)
        poll(lambda: database.open_rows() == 0, timeout=1800, every=0.5)
        stop.set()
        if trouble:
            note = f"{injected[500]} × 500 and {injected[429]} × 429 injected"
        return delivered(fake, count, blocked, time.monotonic() - started, note)


def misbehave(fake: FakeBotApi, stop: threading.Event, injected: Counter[int]) -> None:
    """Every ``TROUBLE_EVERY`` seconds (once the last burst is spent), a burst of 500s and then of 429s for
    the next sends."""
    while not stop.wait(TROUBLE_EVERY):
        if fake.failures_left("sendMessage"):
            continue
        fake.fail("sendMessage", status=500, times=10, description="Internal Server Error")
        fake.fail("sendMessage", status=429, retry_after=1, times=2)
        injected[500] += 10
        injected[429] += 2


def kill_reminders(server: str, runner: asyncio.Runner, count: int) -> Delivered:
    """Two workers send ``count`` reminders due now; one is killed at a random moment and restarted."""
    with scenario(server, runner) as (fake, database, pool, workdir):
        start = dt.datetime.now(dt.UTC)
        runner.run(prepare_reminders(database.url, workdir, count, start, 1.0))
        pool.start(0)
        pool.start(1)
        at = random.randint(count // 5, count * 4 // 5)
        first = 10_000_000  # bench.reminders' first chat
        poll(lambda: sum(messages_per_chat(fake, first, count).values()) >= at, timeout=900, every=0.1)
        pool.kill(1)
        note = f"killed after {sum(messages_per_chat(fake, first, count).values())} reminders"
        pool.start(1)
        poll(lambda: database.open_rows() == 0, timeout=1800, every=0.5)
        return delivered(fake, count, set(), (dt.datetime.now(dt.UTC) - start).total_seconds(), note, first)


def database_down(server: str, runner: asyncio.Runner) -> tuple[list[str], float]:
    """A worker started while PostgreSQL's port is closed, opened ``DOWN_FOR`` seconds later: the lines the
    worker wrote about the database, and seconds from the port opening to the first update answered."""
    with scenario(server, runner) as (fake, database, pool, _):
        target = make_url(database.url)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        pool.start(0, wait=False, database_url=target.set(host="127.0.0.1", port=port).render_as_string(False))
        time.sleep(DOWN_FOR)
        with forwarding(port, target.host or "127.0.0.1", target.port or 5432):
            opened = time.monotonic()
            pool.wait_ready(0)
            post(fake, [pool.port(0)], [updates.command(FIRST_STARTER, "/start")], senders=1)
            answered = time.monotonic() - opened
            said = [line for line in pool.log(0).splitlines() if "database" in line]
        return said, answered


@contextlib.contextmanager
def forwarding(port: int, host: str, target: int) -> Iterator[None]:
    """``tests.tcp_forwarder.forward`` from 127.0.0.1:``port`` to ``host``:``target``, in a thread of its own."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    async def serve() -> None:
        server = await forward(port, host, target)
        ready.set()
        async with server:
            with contextlib.suppress(asyncio.CancelledError):
                await server.serve_forever()

    task = loop.create_task(serve())
    thread = threading.Thread(target=loop.run_until_complete, args=(task,), daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield
    finally:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(10)
        connections = asyncio.all_tasks(loop)
        for connection in connections:
            connection.cancel()
        loop.run_until_complete(asyncio.gather(*connections, return_exceptions=True))
        loop.close()


def smoke(server: str, runner: asyncio.Runner) -> bool:
    """Two workers: 200 new users' /start, and one person's form answered on both in turn."""
    with scenario(server, runner, limit=None) as (fake, database, pool, _):
        pool.start(0)
        pool.start(1)
        ports = [pool.port(0), pool.port(1)]
        post(fake, ports, [updates.command(FIRST_STARTER + n, "/start") for n in range(200)])
        answered = len(messages_per_chat(fake, FIRST_STARTER, 200))
        person = FIRST_STARTER - 1
        post(fake, ports[:1], [updates.command(person, "/start")], senders=1)
        form = [updates.callback(person, "register:spring-2027-co-loa", message=fake.messages_in(person)[-1]),
                updates.text_message(person, "Anna Schmidt"), updates.text_message(person, "German")]  # fmt: skip
        for n, update in enumerate(form):
            post(fake, [ports[(n + 1) % 2]], [update], senders=1)
        state = database.scalar(select(DialogState.data).join(User).where(User.external_id == str(person)))
        answers = (state or {}).get("answers", {})
        good = answered == 200 and answers.get("name") == "Anna Schmidt" and answers.get("nationality") == "German"
        print(f"{answered} of 200 answered; the form on two workers: {answers}", file=sys.stderr)
        return good


SCENARIOS = ("throughput", "broadcast", "kill-broadcast", "kill-reminders", "database-down", "api-trouble")


def main() -> None:
    """Run the scenarios and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--only", nargs="*", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--smoke", action="store_true", help="two workers, a quick check that all is well")
    args = parser.parse_args()
    server = postgres_server()
    with asyncio.Runner() as runner:
        if args.smoke:
            good = smoke(server, runner)
            print("smoke test: " + ("every update answered once, the form complete" if good else "FAILED"))
            sys.exit(0 if good else 1)
        runs: dict[str, Any] = {}
        for name in args.only:
            print(f"{name}…", file=sys.stderr, flush=True)
            if name == "throughput":
                runs[name] = [throughput(server, runner, args.updates, n) for n in (1, 2)]
            elif name == "database-down":
                runs[name] = database_down(server, runner)
            elif name == "kill-reminders":
                runs[name] = kill_reminders(server, runner, args.recipients)
            else:
                runs[name] = broadcast(server, runner, args.recipients, kill=name == "kill-broadcast",
                                       trouble=name == "api-trouble")  # fmt: skip
            print(f"{name}: {runs[name]}", file=sys.stderr, flush=True)
    if "throughput" in runs:
        one, two = runs["throughput"]
        print(f"\n| workers | updates/s ({args.updates} × /start from new users, {SENDERS} at a time) |\n|---:|---:|")
        print(f"| 1 | {one:.0f} |\n| 2 | {two:.0f} |")
    rows = [runs[name].row(name) for name in ("broadcast", "kill-broadcast", "kill-reminders", "api-trouble")
            if name in runs]  # fmt: skip
    if rows:
        print("\n| scenario (two workers) | deliveries | lost | duplicates | 429s | most sends in 1 s | seconds | |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        print("\n".join(rows))
    if "database-down" in runs:
        said, answered = runs["database-down"]
        print(f"\nPostgreSQL down at start for {DOWN_FOR:.0f} s: the worker said {len(said)} line(s) about it "
              f"({said[0].strip() if said else 'nothing'}); first update answered {answered:.1f} s after the port "
              f"opened.")  # fmt: skip


if __name__ == "__main__":
    main()
