"""Subscriptions: announcements on until left, the bulletin on request; switched in chat, in any language."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.db.models import User
from tests.chat import Chat


async def subscribed(app: App, external_id: str) -> tuple[bool, bool]:
    async with app.sessions() as session:
        user = (await session.scalars(select(User).where(User.external_id == external_id))).one()
    return user.announcements, user.bulletin


async def test_switching_announcements_and_the_bulletin(app: App) -> None:
    reader = Chat(app.dispatcher, user_id="reader", language_hint="en")
    await reader.send("/start")
    await reader.press("Subscriptions")
    assert "Announcements (events, schedule changes, urgent notices): on" in reader.text
    assert await subscribed(app, "reader") == (True, False)
    await reader.press("Receive the bulletin")
    assert "“Friendship and Cooperation”, every quarter: on" in reader.text
    await reader.press("Stop announcements")
    assert await subscribed(app, "reader") == (False, True)
    await reader.send("/unsubscribe")
    assert "no more announcements or bulletins" in reader.text
    assert await subscribed(app, "reader") == (False, False)
    await reader.send("/subscribe bulletin")
    assert await subscribed(app, "reader") == (False, True)


async def test_subscriptions_speak_the_readers_language_and_refuse_forged_switches(app: App) -> None:
    reader = Chat(app.dispatcher, user_id="lan", language_hint="vi")
    await reader.send("/subscribe")
    vietnamese = app.catalogs.locale("vi")
    assert vietnamese.gettext("📰 Receive the bulletin") in [b.label for b in reader.buttons()]
    assert vietnamese.gettext("🔔 What you receive from HAUFO in this chat:") in reader.text
    await reader.press_payload("subswitch:everything:on")
    assert await subscribed(app, "lan") == (True, False), "a forged switch changes nothing"
    await reader.press_payload("subsstop")
    assert await subscribed(app, "lan") == (False, False)
