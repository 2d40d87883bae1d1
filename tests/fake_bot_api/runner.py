"""Serving a FakeBotApi with uvicorn on a free local port in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import uvicorn

if TYPE_CHECKING:
    from tests.fake_bot_api.server import FakeBotApi

STARTUP_TIMEOUT = 10.0


@contextmanager
def running(fake: FakeBotApi) -> Iterator[str]:
    """Serve `fake` on 127.0.0.1 and yield its base URL ("http://127.0.0.1:PORT"); stop it on exit.

    The server has its own thread and event loop, so it works from sync tests and from async tests alike.
    """
    # uvicorn binds the port itself: serving a socket bound here made every loopback call wait ~40 ms
    # (Nagle's algorithm against delayed ACKs).
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        fake.app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    fake.closing = False
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), name=f"fake-bot-api-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake Bot API server did not start")
            time.sleep(0.005)
        yield f"http://127.0.0.1:{port}"
    finally:
        fake.release_polls()
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT)
