"""A fake Bot API on loopback and a Telegram channel wired to the real dispatcher."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.client import connect, make_bot
from tests.fake_bot_api.server import FakeBotApi


@pytest.fixture
async def channel(app: App, fake: FakeBotApi, api_url: str) -> AsyncIterator[TelegramChannel]:
    """A connected Telegram channel (not yet receiving)."""
    bot = make_bot(fake.token, api_url)
    await connect(bot, api_url)
    yield TelegramChannel(bot, app.dispatcher)
    await bot.shutdown()


@pytest.fixture
async def polling(channel: TelegramChannel) -> AsyncIterator[TelegramChannel]:
    """The channel long-polling in the background until the test ends."""
    task = asyncio.create_task(channel.start())
    yield channel
    await channel.stop()
    await asyncio.wait_for(task, timeout=10)
