"""CPU per message through the real dispatcher on SQLite, no network: a new user's ``/start`` and a returning
user's button press. Run ``python -m bench.dispatch_cpu [--messages 2000]``; compare commits in one sitting."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.app import build_app
from bot.config import Settings
from bot.core.messages import Incoming


async def measure(messages: int) -> tuple[float, float]:
    """Milliseconds of CPU per new user's ``/start`` and per returning user's button press."""
    folder = Path(tempfile.mkdtemp(prefix="haufo-bench-"))
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{folder}/bot.db",
        data_dir=folder / "data",
        semantic_answers=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    app = await build_app(settings)
    try:
        for warm in range(200):
            await app.dispatcher.handle(Incoming("telegram", f"w{warm}", f"w{warm}", text="/start"))
        users = [str(10_000 + n) for n in range(messages)]
        started = time.process_time()
        for user in users:
            await app.dispatcher.handle(Incoming("telegram", user, user, text="/start", language_hint="en"))
        new = (time.process_time() - started) / messages * 1000
        started = time.process_time()
        for user in users:
            await app.dispatcher.handle(Incoming("telegram", user, user, payload="events:0", language_hint="en"))
        returning = (time.process_time() - started) / messages * 1000
        return new, returning
    finally:
        await app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    new, returning = asyncio.run(measure(args.messages))
    print(f"new user /start: {new:.3f} ms CPU per message; returning user's button: {returning:.3f} ms")


if __name__ == "__main__":
    main()
