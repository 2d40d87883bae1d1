"""Zalo through the fake Zalo API: polling (one update a call, idle 408s, repeats), the webhook, plain numbered
text within 2000 characters, and a short answer to what the bot cannot read."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from bot.app import App, build_app
from bot.channels.zalo.channel import ZALO_SECRET_HEADER, ZALO_WEBHOOK_PATH, ZaloChannel
from bot.channels.zalo.client import ZaloClient, ZaloError
from bot.channels.zalo.updates import unwrap
from bot.config import PROJECT_ROOT, Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.startup import StartupError
from bot.runtime import open_channels, repeats
from bot.services.answers import Answerer
from tests.fake_zalo_api import updates
from tests.fake_zalo_api.server import MAX_TEXT, FakeZaloApi

USER = "6012345678901234567"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "zalo"
BASE = "https://bot.example.org"
SECRET = "s3cret-value"
HTML = re.compile(r"</?(b|i|a|code|pre)\b")


@contextlib.asynccontextmanager
async def webhook(app: App, client: ZaloClient) -> AsyncIterator[tuple[ZaloChannel, httpx.AsyncClient]]:
    """A Zalo channel receiving by webhook, and an HTTP client posting to it as Zalo would."""
    channel = ZaloChannel(client, app.dispatcher, repeats(app, ZaloChannel.name),
                          webhook_url=f"{BASE}{ZALO_WEBHOOK_PATH}", webhook_secret=SECRET)  # fmt: skip
    web = Starlette(routes=list(channel.web_routes()))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url=BASE) as http:
        yield channel, http


def assert_plain_and_short(zalo: FakeZaloApi) -> None:
    texts = [str(call.params.get("text", "")) for call in zalo.calls_of("sendMessage")]
    assert texts, "something was sent"
    assert all(0 < len(text) <= MAX_TEXT for text in texts)
    assert not any(HTML.search(text) for text in texts), "plain text: Zalo shows tags as they are"


async def test_a_message_is_answered_in_the_language_it_is_written_in_with_numbered_choices(
    polling: ZaloChannel, zalo: FakeZaloApi
) -> None:
    zalo.enqueue(updates.text(USER, "Xin chào, tôi muốn tìm hiểu về các chuyến du xuân"))
    texts = await asyncio.to_thread(zalo.wait_until, lambda: zalo.texts_to(USER))
    assert any("1." in text for text in texts), "choices as numbered lines"
    assert "Trình đơn chính" in " ".join(texts), "answered in Vietnamese, the language it was written in"
    offer = await asyncio.to_thread(zalo.wait_until, lambda: [t for t in zalo.texts_to(USER) if "日本語" in t])
    assert all(name in offer[0] for name in ("Tiếng Việt", "English", "Français", "Русский", "中文", "한국어"))
    assert "Tiếng Việt" in offer[0].split("\n")[0], "offered in the language written in"
    assert_plain_and_short(zalo)
    assert zalo.calls_of("deleteWebhook"), "polling starts by removing any webhook"


async def test_a_typed_number_presses_the_choice_it_names(polling: ZaloChannel, zalo: FakeZaloApi) -> None:
    zalo.enqueue(updates.text(USER, "/start"))
    # the whole answer, the language offer of a first contact included, before typing a number
    await asyncio.to_thread(zalo.wait_until, lambda: [t for t in zalo.texts_to(USER) if "日本語" in t])
    first = zalo.texts_to(USER)
    menu = first[0]
    tours = next(line for line in menu.splitlines() if "Spring tours" in line or "du xuân" in line.lower())
    zalo.enqueue(updates.text(USER, tours.split(".")[0]))
    texts = await asyncio.to_thread(zalo.wait_until, lambda: zalo.texts_to(USER)[len(first) :])
    assert "Cổ Loa" in " ".join(texts)


async def test_an_update_handed_out_again_is_answered_once(app: App, zalo_url: str) -> None:
    zalo = FakeZaloApi(redeliver=True)
    from tests.fake_bot_api.runner import running

    with running(zalo) as url:  # type: ignore[arg-type]
        client = ZaloClient(zalo.token, url)
        channel = ZaloChannel(client, app.dispatcher, repeats(app, ZaloChannel.name))
        for n in range(3):
            zalo.enqueue(updates.text(f"u{n}", "/help", message_id=f"repeat-{n}"))
        task = asyncio.create_task(channel.start())
        await asyncio.to_thread(zalo.wait_until, lambda: zalo.pending() == 0, 20)
        await channel.stop()
        await asyncio.wait_for(task, 10)
        await client.close()
    polls = len(zalo.calls_of("getUpdates"))
    assert polls >= 5, "two of the three were handed out twice"
    answers = [zalo.texts_to(f"u{n}") for n in range(3)]
    assert all(texts and len(texts) == len(set(texts)) for texts in answers), f"each answered once: {answers}"


@pytest.mark.parametrize("update", [updates.sticker(USER), updates.voice(USER), updates.unsupported(USER),
                                    updates.image(USER)])  # fmt: skip
async def test_what_the_bot_cannot_read_gets_a_short_answer(
    polling: ZaloChannel, zalo: FakeZaloApi, update: dict[str, object]
) -> None:
    zalo.enqueue(update)
    texts = await asyncio.to_thread(zalo.wait_until, lambda: zalo.texts_to(USER))
    assert "text" in texts[0].lower()
    assert_plain_and_short(zalo)


async def test_the_old_hosts_http_408_is_nothing_new(app: App) -> None:
    zalo = FakeZaloApi(old_host=True)
    from tests.fake_bot_api.runner import running

    with running(zalo) as url:  # type: ignore[arg-type]
        client = ZaloClient(zalo.token, url)
        assert await client.get_update(poll_seconds=0) is None
        zalo.enqueue(updates.text(USER, "hello"))
        update = await client.get_update(poll_seconds=0)
        await client.close()
    assert update is not None and update["message"]["text"] == "hello"


async def test_a_refused_call_is_an_error_that_names_no_token(zalo: FakeZaloApi, zalo_url: str) -> None:
    client = ZaloClient("999:wrong-token", zalo_url)
    with pytest.raises(ZaloError) as refused:
        await client.get_me()
    await client.close()
    assert refused.value.code == 401
    assert "wrong-token" not in str(refused.value) and zalo_url not in str(refused.value)


async def test_the_webhook_refuses_a_wrong_secret_and_takes_both_shapes(
    app: App, zalo: FakeZaloApi, zalo_url: str
) -> None:
    client = ZaloClient(zalo.token, zalo_url)
    async with webhook(app, client) as (channel, http):
        flat = updates.text(USER, "/help", message_id="w1")
        wrong = await http.post(ZALO_WEBHOOK_PATH, json=flat, headers={ZALO_SECRET_HEADER: "guess"})
        missing = await http.post(ZALO_WEBHOOK_PATH, json=flat)
        assert (wrong.status_code, missing.status_code) == (403, 403)
        await channel.drain()
        assert zalo.texts_to(USER) == [], "nothing processed"
        for body in (flat, updates.wrapped(updates.text(USER, "/help", message_id="w2")), flat):
            answer = await http.post(ZALO_WEBHOOK_PATH, json=body, headers={ZALO_SECRET_HEADER: SECRET})
            assert answer.status_code == 200
        await channel.drain()
    await client.close()
    helps = [text for text in zalo.texts_to(USER) if text.startswith("Here is what I can help with")]
    assert len(helps) == 2, "flat and wrapped handled, the repeat skipped"


async def test_run_opens_zalo_when_its_token_is_set_and_names_a_refused_token(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer, zalo: FakeZaloApi,
    zalo_url: str,
) -> None:  # fmt: skip
    configured = settings.model_copy(update={"zalo_token": SecretStr(zalo.token), "zalo_api_url": zalo_url})
    app = await build_app(configured, clock=clock, detector=detector, answerer=answerer)
    try:
        [channel] = await open_channels(app)
        assert isinstance(channel, ZaloChannel)
        await channel.close()
        app.settings.zalo_token = SecretStr("999:forged-token")
        with pytest.raises(StartupError, match="ZALO_TOKEN") as refused:
            await open_channels(app)
        assert "forged-token" not in str(refused.value)
    finally:
        await app.close()


async def test_recorded_updates_replayed_through_polling_and_the_webhook_are_answered_plainly(
    app: App, zalo: FakeZaloApi, zalo_url: str
) -> None:
    recorded = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(FIXTURES.glob("*.json"))]
    client = ZaloClient(zalo.token, zalo_url)
    async with webhook(app, client) as (channel, http):
        for body in recorded:
            answer = await http.post(ZALO_WEBHOOK_PATH, json=body, headers={ZALO_SECRET_HEADER: SECRET})
            assert answer.status_code == 200
        await channel.drain()
    chats = {str(unwrap(body)["message"]["chat"]["id"]) for body in recorded}
    assert all(zalo.texts_to(chat) for chat in chats), "every recorded message answered"
    assert_plain_and_short(zalo)
    before = len(zalo.calls_of("sendMessage"))
    for body in recorded:
        zalo.enqueue(unwrap(body))  # the same messages handed out again by polling
    poller = ZaloChannel(client, app.dispatcher, repeats(app, ZaloChannel.name))  # another worker, say
    task = asyncio.create_task(poller.start())
    await asyncio.to_thread(zalo.wait_until, lambda: zalo.pending() == 0)
    await poller.stop()
    await asyncio.wait_for(task, 10)
    await client.close()
    assert len(zalo.calls_of("sendMessage")) == before, "already handled: nothing sent twice"
