"""One broadcast to an audience on Telegram and Zalo: each person once, on their own platform, in their language."""

from __future__ import annotations

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.client import connect, make_bot
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient
from bot.core.clock import FakeClock
from bot.core.languages import LANGUAGES
from bot.db.models import User
from bot.runtime import repeats
from bot.scheduling.delivery import Delivery
from bot.services.broadcasts import Announcement, Broadcasts, parse_audience
from handlers.notices import NOTICES
from tests.fake_bot_api.server import FakeBotApi
from tests.fake_zalo_api.server import FakeZaloApi

TEXTS = {"vi": "Kính gửi Quý vị: lễ trồng cây hữu nghị dời sang 9 giờ.",
         "en": "Dear friends: the friendship tree planting moves to 9:00.",
         "fr": "Chers amis : la plantation d’arbres de l’amitié est avancée à 9 h."}  # fmt: skip


async def test_one_broadcast_reaches_each_person_once_on_their_platform_in_their_language(
    app: App, clock: FakeClock, fake: FakeBotApi, api_url: str, zalo: FakeZaloApi, zalo_url: str
) -> None:
    async with app.sessions() as session, session.begin():
        session.add_all(
            User(channel=channel, external_id=f"{100 + n}", language=language, role="user", created_at=clock.now(),
                 last_seen_at=clock.now(), blocked=False)
            for channel in ("telegram", "zalo") for n, language in enumerate(LANGUAGES)
        )  # fmt: skip
        broadcast = await Broadcasts(session, clock).send(
            Announcement(TEXTS, button=None), parse_audience("everyone", app.content), urgent=False, channels=None
        )
    assert broadcast.recipients == 14
    bot = make_bot(fake.token, api_url)
    await connect(bot, api_url)
    client = ZaloClient(zalo.token, zalo_url)
    channels = {"telegram": TelegramChannel(bot, app.dispatcher),
                "zalo": ZaloChannel(client, app.dispatcher, repeats(app, "zalo"))}  # fmt: skip
    try:
        sent = await Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, channels, clock).send_due()
    finally:
        await bot.shutdown()
        await client.close()
    assert sent == 14
    for n, language in enumerate(LANGUAGES):
        expected = TEXTS.get(language, TEXTS["en"])
        [on_telegram] = [message["text"] for message in fake.messages_in(100 + n)]
        [on_zalo] = zalo.texts_to(str(100 + n))
        assert expected in on_zalo and expected in on_telegram, language
        assert "<" not in on_zalo, "plain text on Zalo"
        assert "1. " in on_zalo, "the stop button as a numbered choice"
