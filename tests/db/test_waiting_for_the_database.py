"""A database that does not answer at start: ``haufo-bot run`` says so in one line and waits for it; the
other commands say so and stop."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest
from sqlalchemy import make_url

from bot.core.startup import StartupError
from bot.db.engine import create_engine, wait_for_database
from tests.conftest import postgresql_only
from tests.tcp_forwarder import forward


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_without_waiting_an_unreachable_database_is_one_line() -> None:
    engine = create_engine(f"postgresql+asyncpg://haufo:secret-password@127.0.0.1:{closed_port()}/haufo")
    with pytest.raises(StartupError) as raised:
        await wait_for_database(engine, retry=False)
    await engine.dispose()
    assert str(raised.value).startswith("Cannot reach the database postgresql at 127.0.0.1")
    assert "\n" not in str(raised.value)
    assert "secret-password" not in str(raised.value)


@postgresql_only  # a SQLite file is always there
async def test_a_database_that_comes_up_later_is_waited_for(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    target = make_url(database_url)
    port = closed_port()
    engine = create_engine(target.set(host="127.0.0.1", port=port).render_as_string(hide_password=False))

    async def come_up_later() -> asyncio.Server:
        await asyncio.sleep(0.5)
        return await forward(port, target.host or "127.0.0.1", target.port or 5432)

    caplog.set_level(logging.INFO, logger="bot.db.engine")
    later = asyncio.create_task(come_up_later())
    await asyncio.wait_for(wait_for_database(engine, retry=True, retry_every=0.1), timeout=30)
    await engine.dispose()
    server = await later
    server.close()
    said = [record.getMessage() for record in caplog.records if record.name == "bot.db.engine"]
    assert len(said) == 2, said
    assert said[0].startswith("cannot reach the database postgresql at 127.0.0.1") and "trying again" in said[0]
    assert said[1] == "the database postgresql at 127.0.0.1 answers again"
