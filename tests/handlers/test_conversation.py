"""Conversations through the real dispatcher: /start, language, every main-menu branch, cards, back."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.core.i18n import Locale
from bot.core.languages import LANGUAGES, NATIVE_NAMES
from bot.core.messages import MAX_PAYLOAD_BYTES
from tests.chat import Chat, navigates


def _t(app: App, language: str, message: str) -> str:
    return app.catalogs.locale(language).gettext(message)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_walk_every_branch_in_each_language(app: App, chat: Chat, language: str) -> None:
    t = lambda message: _t(app, language, message)  # noqa: E731
    content = app.content

    await chat.send("/start")
    assert "HAUFO" in chat.last[0].text
    assert len(chat.last) == 2, "first contact offers the languages"
    await chat.press(NATIVE_NAMES[language])
    assert chat.last[0].text == t("Done! I will speak {language} with you.").format(language=NATIVE_NAMES[language])
    assert {b.label for b in chat.buttons()} >= {t("🎉 Events"), t("🌸 Spring tours"), t("❓ Help")}

    await chat.press(t("🎉 Events"))
    assert chat.text.startswith(t("🎉 Events"))
    event = content.events.get("new-year-gala")
    await chat.press(event.title(language))
    assert event.title(language) in chat.text and event.description(language) in chat.text
    assert chat.last[0].venue is not None
    await chat.press(t("◀ All events"))
    assert chat.text.startswith(t("🎉 Events"))
    await chat.press(t("🏠 Main menu"))

    await chat.press(t("🇻🇳 Vietnamese classes"))
    assert chat.text.startswith(t("🇻🇳 Vietnamese classes for diplomats"))
    course = content.courses.get("vietnamese-beginner")
    await chat.press(course.title(language))
    assert course.description(language) in chat.text and t("Beginner") in chat.text
    await chat.press(content.sites.get("bat-trang").name(language))
    assert content.sites.get("bat-trang").description(language) in chat.text
    await chat.press(t("🏠 Main menu"))

    await chat.press(t("🌸 Spring tours"))
    tour = content.tours.get("spring-2027-co-loa")
    await chat.press(tour.title(language))
    assert tour.what_to_bring(language) in chat.text
    assert tour.meeting_point.address(language) in chat.text
    await chat.press(t("◀ All tours"))
    assert chat.text.startswith(t("🌸 Spring friendship tours “Du xuân hữu nghị”"))
    await chat.press(t("🏠 Main menu"))

    await chat.press(t("🏛 Heritage sites"))
    await chat.press(t("Next ▶"))
    last_site = content.sites.get(content.sites.ids()[-1])
    await chat.press(last_site.name(language))
    assert last_site.getting_there(language) in chat.text
    await chat.press(t("◀ All sites"))
    assert last_site.name(language) in chat.text, "back returns to the page the site was on"
    await chat.press(t("◀ Previous"))
    await chat.press(t("🏠 Main menu"))

    await chat.press(t("❓ Help"))
    assert t("Here is what I can help with:") in chat.text
    await chat.press(t("🌐 Language"))
    assert chat.text == t("Choose your language:")

    await chat.send("/start")
    assert len(chat.last) == 1, "the language offer stops once the user has chosen"
    assert chat.last[0].buttons[0][0].label == t("🎉 Events")


async def test_language_choice_persists(app: App) -> None:
    chat = Chat(app.dispatcher, language_hint="fr")
    await chat.send("/start")
    assert chat.last[0].buttons[0][0].label == _t(app, "fr", "🎉 Events")
    await chat.press("한국어")
    await chat.send("/start")
    assert chat.last[0].buttons[0][0].label == _t(app, "ko", "🎉 Events")
    await chat.send("/language vi")
    assert chat.last[0].buttons[0][0].label == _t(app, "vi", "🎉 Events")


async def test_platform_hint_then_detection_then_english(app: App) -> None:
    assert (await Chat(app.dispatcher, user_id="a", language_hint="ja-JP").send("/start"))[0].buttons[0][0].label == (
        _t(app, "ja", "🎉 Events")
    )
    writer = Chat(app.dispatcher, user_id="b")
    await writer.send("Bonjour, je voudrais des informations sur les cours de vietnamien")
    assert _t(app, "fr", "🏠 Main menu") in [b.label for b in writer.buttons()], "answered in French"
    await writer.press_payload("tours:0")
    assert writer.text.startswith(_t(app, "fr", "🌸 Spring friendship tours “Du xuân hữu nghị”")), "detection is kept"
    assert (await Chat(app.dispatcher, user_id="c").send("/start"))[0].buttons[0][0].label == "🎉 Events"


async def test_dates_near_tet_show_the_lunar_date(app: App, chat: Chat) -> None:
    await chat.send("/language vi")
    await chat.press_payload("tour:spring-2027-son-tay")
    assert "15/1 âm lịch" in chat.text
    await chat.press_payload("event:asian-new-year-festival")
    assert "âm lịch" not in chat.text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_button_of_the_menu_tree_works(app: App, language: str) -> None:
    chat = Chat(app.dispatcher, language_hint=language)
    stale = _t(app, language, "That button is out of date. Here is the main menu:")
    apology = _t(
        app, language, "Sorry, something went wrong on our side. Please try again in a moment, or send /start."
    )
    await chat.send("/start")
    queue = [b.payload for b in chat.buttons() if navigates(b.payload)]
    seen: set[str] = {p for p in queue if p}
    while queue:
        payload = queue.pop()
        assert payload is not None
        assert len(payload.encode()) <= MAX_PAYLOAD_BYTES
        replies = await chat.press_payload(payload)
        assert replies and all(r.text.strip() for r in replies), payload
        assert stale not in chat.text and apology not in chat.text, payload
        for button in chat.buttons():
            if navigates(button.payload) and button.payload not in seen:
                seen.add(button.payload)
                queue.append(button.payload)
    content = app.content
    cards = len(content.events) + len(content.courses) + len(content.tours) + len(content.sites)
    assert len(seen) >= cards + 6


async def test_locale_switch_keeps_the_catalogs(app: App) -> None:
    locale: Locale = app.catalogs.locale("en")
    assert locale.switch("zh").gettext("🎉 Events") != "🎉 Events"
