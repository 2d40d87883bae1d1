"""A fake Zalo Bot API on loopback and a Zalo channel wired to the real dispatcher."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.app import App
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient
from bot.runtime import repeats
from tests.fake_bot_api.runner import running
from tests.fake_zalo_api.server import FakeZaloApi


@pytest.fixture
def zalo() -> FakeZaloApi:
    """The fake Zalo API's state."""
    return FakeZaloApi()


@pytest.fixture
def zalo_url(zalo: FakeZaloApi) -> Iterator[str]:
    """The fake Zalo API served on 127.0.0.1."""
    with running(zalo) as url:  # type: ignore[arg-type]
        yield url


@pytest.fixture
async def channel(app: App, zalo: FakeZaloApi, zalo_url: str) -> AsyncIterator[ZaloChannel]:
    """A Zalo channel (not yet receiving), remembering message ids in the database."""
    client = ZaloClient(zalo.token, zalo_url)
    yield ZaloChannel(client, app.dispatcher, repeats(app, ZaloChannel.name))
    await client.close()


@pytest.fixture
async def polling(channel: ZaloChannel) -> AsyncIterator[ZaloChannel]:
    """The channel long-polling in the background until the test ends."""
    task = asyncio.create_task(channel.start())
    yield channel
    await channel.stop()
    await asyncio.wait_for(task, timeout=10)
