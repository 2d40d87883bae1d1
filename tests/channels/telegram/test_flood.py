"""A flood through Telegram long polling: one user's 200 messages do not hold up anyone else."""

from __future__ import annotations

import pytest

from bot.channels.telegram.channel import TelegramChannel
from bot.config import Settings
from tests.conversation.test_flood import NOTICE
from tests.fake_bot_api import updates
from tests.fake_bot_api.server import FakeBotApi


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings, with flood control on as in production."""
    return settings.model_copy(update={"flood_burst": 8})


async def test_one_flooder_gets_a_few_replies_and_one_notice_and_holds_up_nobody(
    fake: FakeBotApi, polling: TelegramChannel
) -> None:
    for n in range(200):
        fake.enqueue(updates.text_message(61, f"spam {n}"))
    fake.enqueue(updates.command(62, "/start"))
    await fake.wait_for(lambda: fake.messages_in(62), timeout=30)
    await fake.wait_for(lambda: not fake.pending(), timeout=30)
    flooder = fake.messages_in(61)
    assert len(flooder) <= 12, len(flooder)
    assert sum(NOTICE in message.get("text", "") for message in flooder) == 1
