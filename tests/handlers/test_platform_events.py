"""Deep links, group chats, blocking and shared locations, through the real dispatcher."""

from __future__ import annotations

from bot.app import App
from bot.core.messages import Incoming
from bot.db.repositories import Users
from tests.chat import Chat


async def test_deep_link_opens_the_card(app: App, chat: Chat) -> None:
    await chat.send("/start tour-spring-2027-co-loa")
    tour = app.content.tours.get("spring-2027-co-loa")
    assert chat.last[0].text.startswith(f"🌸 {tour.title('en')}")
    for link, item in [
        ("course-vietnamese-advanced", "Advanced"),
        ("site-co-loa", "Cổ Loa"),
        ("event-new-year-gala", ""),
    ]:
        await chat.send(f"/start {link}")
        assert item in chat.text
        assert chat.last[0].venue is not None


async def test_unknown_deep_link_greets_instead(chat: Chat) -> None:
    for link in ["tour-atlantis", "nothing", "tour-", "-", "course-" + "x" * 60]:
        await chat.send(f"/start {link}")
        assert chat.last[0].text.startswith("Hello! I am the assistant"), link


async def test_group_chat_invites_to_a_private_chat(app: App) -> None:
    link = "https://t.me/haufo_test_bot"
    group = Incoming("telegram", "5", "-100", text="/help", private=False, bot_link=link, language_hint="ru")
    replies = await app.dispatcher.handle(group)
    assert len(replies) == 1
    button = replies[0].all_buttons()[0]
    assert button.url == "https://t.me/haufo_test_bot"
    assert button.label == app.catalogs.locale("ru").gettext("💬 Continue in private")


async def test_blocking_is_remembered_and_start_unblocks(app: App) -> None:
    async def blocked() -> bool:
        async with app.sessions() as session:
            user = await Users(session).find("telegram", "8")
            assert user is not None
            return user.blocked

    assert await app.dispatcher.handle(Incoming("telegram", "8", "8", event="blocked")) == []
    assert await blocked()
    await app.dispatcher.handle(Incoming("telegram", "8", "8", event="unblocked"))
    assert not await blocked()
    await app.dispatcher.handle(Incoming("telegram", "8", "8", event="blocked"))
    await app.dispatcher.handle(Incoming("telegram", "8", "8", text="/start"))
    assert not await blocked()


async def test_a_shared_location_lists_the_nearest_sites(app: App) -> None:
    near_co_loa = (21.1150, 105.8720)
    replies = await app.dispatcher.handle(Incoming("telegram", "6", "6", event="location", location=near_co_loa))
    labels = [b.label for b in replies[0].all_buttons()]
    assert labels[0] == app.content.sites.get("co-loa").name("en")
    assert "km" in replies[0].text
