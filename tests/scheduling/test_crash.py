"""``haufo-bot run`` killed (SIGKILL) while sending a batch of reminders: after a restart every one is
delivered, and the duplicates stay within the documented window (rows sent but not yet marked sent)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import signal
import sqlite3
from collections import Counter
from pathlib import Path

from bot.app import build_app
from bot.config import PROJECT_ROOT, Settings
from bot.db.models import OutboxMessage, User
from bot.scheduling.delivery import WORKERS
from tests.channels.telegram.test_process import bot_process
from tests.fake_bot_api.server import FakeBotApi

ROWS = 600
FIRST_CHAT = 700_000


async def queue_reminders(database_url: str, data_dir: Path) -> None:
    """The database the bot will find: ROWS users, each with a reminder due now."""
    settings = Settings(database_url=database_url, data_dir=data_dir, content_dir=PROJECT_ROOT / "content",
                        semantic_answers=False, _env_file=None)  # type: ignore[call-arg]  # fmt: skip
    app = await build_app(settings)
    now = dt.datetime.now(dt.UTC)
    async with app.sessions() as session, session.begin():
        users = [User(channel="telegram", external_id=str(FIRST_CHAT + n), language="en", role="user",
                      created_at=now, last_seen_at=now, blocked=False) for n in range(ROWS)]  # fmt: skip
        session.add_all(users)
        await session.flush()
        session.add_all(
            OutboxMessage(user_id=user.id, channel="telegram", template="staff_reply", due_at=now, status="pending",
                          params={"question": "When does the coach leave?", "reply": f"At 07:30 (row {n})"},
                          attempts=0, dedup_key=f"crash:{n}", expires_at=now + dt.timedelta(hours=1))
            for n, user in enumerate(users)
        )  # fmt: skip
    await app.close()


def statuses(database: Path) -> dict[str, int]:
    """How many outbox rows are in each status (read while the bot runs)."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        rows = connection.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()
    return {str(status): int(count) for status, count in rows}


def test_killed_while_sending_reminders_delivers_all_after_restart(
    tmp_path: Path, fake: FakeBotApi, api_url: str
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    asyncio.run(queue_reminders(database_url, tmp_path / "data"))
    env = {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": api_url, "BROADCAST_RATE": "200",
           "OUTBOX_LEASE_SECONDS": "1"}  # fmt: skip
    with bot_process(tmp_path, **env) as process:
        fake.wait_until(lambda: len(fake.calls_of("sendMessage")) >= ROWS // 4, timeout=60)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    sent_before = len(fake.calls_of("sendMessage"))
    assert sent_before < ROWS, "the kill came in the middle of the batch"

    with bot_process(tmp_path, **env) as process:
        chats = range(FIRST_CHAT, FIRST_CHAT + ROWS)
        fake.wait_until(lambda: all(fake.messages_in(chat) for chat in chats), timeout=90)
        fake.wait_until(lambda: statuses(tmp_path / "bot.db") == {"sent": ROWS}, timeout=30)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    received = Counter(call.params["chat_id"] for call in fake.calls_of("sendMessage"))
    duplicates = sum(count - 1 for count in received.values())
    assert len(received) == ROWS
    assert duplicates <= WORKERS, f"{duplicates} duplicates: more than the rows a worker held at the kill"
    assert statuses(tmp_path / "bot.db") == {"sent": ROWS}
    print(f"{ROWS} reminders, killed after {sent_before} sends: {duplicates} sent twice")
    assert fake.violations == []
