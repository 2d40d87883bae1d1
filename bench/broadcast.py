"""Benchmark: one broadcast to many recipients through a fake Bot API that enforces Telegram's flood limit.

Run from the project root:
    .venv/bin/python -m bench.broadcast [--recipients 10000] [--limit 30] [--blocked 0.03] [--rate R]

The database (SQLite in a temporary directory) gets ``--recipients`` users in the seven languages; a share
of them (``--blocked``) has blocked the bot at the fake, which answers 403. The fake answers every send
beyond ``--limit`` in any one-second window with 429 and ``retry_after`` 1, as Telegram does for bulk
messages. ``haufo-bot broadcast`` then sends one announcement (texts in three languages) to everyone with
the default settings, as staff would. Reported: the achieved rate as a share of the limit, the 429s
provoked, lost and duplicated deliveries, and the command's own summary line.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from bot.app import build_app
from bot.config import PROJECT_ROOT, Settings
from bot.core.languages import LANGUAGES
from bot.db.models import User
from tests.fake_bot_api.runner import running
from tests.fake_bot_api.server import FakeBotApi

FIRST_CHAT = 20_000_000
CHUNK = 5_000
ANNOUNCEMENT = """\
vi: "Kính gửi quý vị: lễ trồng cây hữu nghị ngày 27/1 bắt đầu lúc 9 giờ tại Công viên Hòa Bình."
en: "Dear friends: the friendship tree planting on 27 January starts at 9:00 in Peace Park."
fr: "Chers amis : la plantation d’arbres de l’amitié du 27 janvier commence à 9 h au parc de la Paix."
button: peace-tree-planting
"""


async def prepare(database_url: str, data_dir: Path, count: int) -> None:
    """Migrate the database and add ``count`` recipients, the languages in turn."""
    settings = Settings(database_url=database_url, data_dir=data_dir, semantic_answers=False,
                        _env_file=None)  # type: ignore[call-arg]  # fmt: skip
    app = await build_app(settings)
    now = dt.datetime.now(dt.UTC)
    for first in range(0, count, CHUNK):
        async with app.sessions() as session, session.begin():
            await session.execute(insert(User), [
                {"channel": "telegram", "external_id": str(FIRST_CHAT + n), "language": LANGUAGES[n % len(LANGUAGES)],
                 "role": "user", "created_at": now, "last_seen_at": now, "blocked": False}
                for n in range(first, min(count, first + CHUNK))
            ])  # fmt: skip
    await app.close()


def main() -> None:
    """Prepare, broadcast, measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=30.0, help="sends a second the fake allows")
    parser.add_argument("--blocked", type=float, default=0.03, help="share of recipients who blocked the bot")
    parser.add_argument("--rate", type=float, help="OUTBOX_RATE for the sender (default: the bot's default)")
    args = parser.parse_args()
    fake = FakeBotApi()
    blocked = {FIRST_CHAT + n for n in range(0, args.recipients, round(1 / args.blocked))} if args.blocked else set()
    for chat in blocked:
        fake.block(chat)
    fake.limit(args.limit)
    with running(fake) as url, tempfile.TemporaryDirectory() as workdir:
        database_url = f"sqlite+aiosqlite:///{Path(workdir) / 'bench.db'}"
        asyncio.run(prepare(database_url, Path(workdir) / "data", args.recipients))
        (Path(workdir) / "announcement.yaml").write_text(ANNOUNCEMENT, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "OUTBOX_"))}
        env |= {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": url, "PYTHONPATH": str(PROJECT_ROOT),
                "DATABASE_URL": database_url, "SEMANTIC_ANSWERS": "false"}  # fmt: skip
        if args.rate is not None:
            env["OUTBOX_RATE"] = str(args.rate)
        started = time.monotonic()
        command = [sys.executable, "-m", "bot", "broadcast", "announcement.yaml", "--audience", "everyone"]
        result = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
    received = {FIRST_CHAT + n: fake.messages_in(FIRST_CHAT + n) for n in range(args.recipients)}
    delivered = {chat: messages for chat, messages in received.items() if messages}
    accepted = [call.at for call in fake.calls_of("sendMessage")]
    lost = args.recipients - len(blocked) - len(delivered)
    duplicates = sum(len(messages) - 1 for messages in delivered.values())
    window = max(accepted) - min(accepted) if accepted else float("nan")
    rate = (sum(len(messages) for messages in delivered.values()) + len(blocked)) / window
    print(f"\n{args.recipients} recipients, {len(blocked)} of them blocked; the fake allows {args.limit:g} sends/s\n")
    print("| achieved rate / limit | 429s provoked | lost | duplicates | seconds | exit |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {rate / args.limit:.2f} | {fake.too_many} | {lost} | {duplicates} | {seconds:.0f} | "
          f"{result.returncode} |")  # fmt: skip
    print("\n" + (result.stdout.strip().splitlines() or ["(no output)"])[-1])
    if result.returncode:
        print(result.stderr[-2000:], file=sys.stderr)


if __name__ == "__main__":
    main()
