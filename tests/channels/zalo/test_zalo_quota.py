"""Zalo's monthly quota: counted per month, named in the broadcast preview when a broadcast would exceed it,
and kept for replies and reminders once little is left."""

from __future__ import annotations

import pytest

from bot.app import build_app
from bot.channels.base import DeliveryFailed
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.messages import Priority, Reply
from bot.db.models import User
from bot.runtime import MonthlyQuota, repeats
from bot.services.answers import Answerer
from bot.services.unit_of_work import UnitOfWork
from tests.chat import Chat
from tests.fake_zalo_api.server import FakeZaloApi


async def test_broadcasts_stop_where_the_quota_is_kept_for_replies_and_the_preview_says_so(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer, zalo: FakeZaloApi,
    zalo_url: str,
) -> None:  # fmt: skip
    app = await build_app(settings.model_copy(update={"zalo_monthly_quota": 20}), clock=clock, detector=detector,
                          answerer=answerer)  # fmt: skip
    client = ZaloClient(zalo.token, zalo_url)
    channel = ZaloChannel(client, app.dispatcher, repeats(app, "zalo"), quota=MonthlyQuota(app, "zalo"))
    try:
        for n in range(18):
            await channel.send(f"z{n}", [Reply(f"Copy {n}")], priority=Priority.BULK)
        async with app.sessions() as session:
            assert await UnitOfWork(session, app.services).quotas.left("zalo") == 2
        with pytest.raises(DeliveryFailed, match="quota"):
            await channel.send("z18", [Reply("Copy 18")], priority=Priority.BULK)
        await channel.send("z18", [Reply("A reply")], priority=Priority.REPLY)
        assert zalo.texts_to("z18") == ["A reply"], "the rest of the month is kept for replies and reminders"

        async with app.sessions() as session, session.begin():
            session.add_all(User(channel="zalo", external_id=f"reader{n}", language="vi", role="user",
                                 created_at=clock.now(), last_seen_at=clock.now(), blocked=False)
                            for n in range(5))  # fmt: skip
        admin = Chat(app.dispatcher, user_id="admin", language_hint="en")
        await admin.send("/broadcast")
        await admin.press("👥 Everyone")
        await admin.send("Dear friends, the tree planting starts at 9:00.")
        assert "⚠️ Zalo: 1 message is left this month and this broadcast needs 5." in admin.text, admin.text
    finally:
        await client.close()
        await app.close()
