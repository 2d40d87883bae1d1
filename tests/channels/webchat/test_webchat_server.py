"""The web chat's server side: a dropped stream resumes after Last-Event-ID and loses nothing; a retried
POST is handled once; another site's page is refused; the rates hold; the history survives a reload."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from bot.app import App
from bot.channels.webchat.channel import STATIC, WebchatChannel
from bot.core.buckets import TokenBuckets
from bot.db.models import OutboxMessage, Question, User
from bot.scheduling.delivery import Delivery
from bot.services.unit_of_work import StartLink
from bot.web.app import create_web_app
from bot.webchat import DatabaseConversations, open_webchat
from handlers.notices import NOTICES
from handlers.staff_questions import REPLY
from tests.chat import Chat, CollectingChannel

PARTNER = "https://partner.example.org"


@pytest.fixture
async def webchat(app: App) -> AsyncIterator[WebchatChannel]:
    app.settings.webchat_origins = PARTNER
    channel = open_webchat(app)
    yield channel
    await channel.stop()


def client(channel: WebchatChannel) -> httpx.AsyncClient:
    web = create_web_app(channel.web_routes())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://bot.test")


async def session(http: httpx.AsyncClient, token: str | None = None, lang: str = "en") -> dict[str, Any]:
    response = await http.post("/chat/api/session", json={"token": token, "lang": lang})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def say(http: httpx.AsyncClient, token: str, message_id: str, **body: str) -> httpx.Response:
    return await http.post("/chat/api/send", json={"id": message_id, **body},
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip


async def events(web: Starlette, path: str, headers: dict[str, str], count: int) -> list[dict[str, Any]]:
    """The first ``count`` events of a stream, read as a browser would, then the browser goes away."""
    chunks: list[bytes] = []
    enough = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await enough.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 200
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if b"".join(chunks).count(b"\r\n\r\n") >= count:
                enough.set()

    path, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()], "client": ("127.0.0.1", 1),
             "server": ("bot.test", 80)}  # fmt: skip
    await asyncio.wait_for(web(scope, receive, send), timeout=20)
    blocks = [block for block in b"".join(chunks).decode().split("\r\n\r\n") if "data:" in block]
    parsed = []
    for block in blocks[:count]:
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        parsed.append({"id": int(fields["id"]), **json.loads(fields["data"])})
    return parsed


async def test_a_dropped_stream_resumes_after_the_last_event_and_loses_nothing(webchat: WebchatChannel) -> None:
    web = create_web_app(webchat.web_routes())
    async with client(webchat) as http:
        opened = await session(http)
        token, key = opened["token"], opened["key"]
        assert (await say(http, token, "m-0000001", text="/start")).status_code == 200
        answered = len((await http.get(f"/chat/api/poll?key={key}")).json())
        first = await events(web, f"/chat/api/stream?key={key}", {}, answered)
        assert [event["from"] for event in first] == ["user"] + ["bot"] * (answered - 1)
        assert first[0]["text"] == "/start" and "HAUFO" in first[1]["text"]
        # the stream drops; meanwhile the visitor presses a button of the menu, and gets its answer
        button = next(b for event in first for row in event.get("buttons", []) for b in row if "payload" in b)
        await say(http, token, "m-0000002", payload=button["payload"], label=button["label"])
        resumed = await events(web, f"/chat/api/stream?key={key}", {"Last-Event-ID": str(first[-1]["id"])}, 2)
    assert resumed[0]["id"] == first[-1]["id"] + 1, "nothing missed, nothing repeated"
    assert [event["from"] for event in resumed] == ["user", "bot"]
    assert resumed[0]["text"] == button["label"], "a pressed button shows as the visitor's message"


async def test_a_retried_post_is_handled_once_and_the_history_survives_a_reload(webchat: WebchatChannel) -> None:
    async with client(webchat) as http:
        opened = await session(http)
        token = opened["token"]
        for _ in range(3):  # the network dropped the answer: the page sends the same message again
            assert (await say(http, token, "same-id-42", text="/help")).status_code == 200
        reloaded = await session(http, token)
        polled = (await http.get(f"/chat/api/poll?key={reloaded['key']}&after=0")).json()
    assert [entry["from"] for entry in reloaded["history"]].count("user") == 1
    assert polled == reloaded["history"], "the polling fallback sees the same conversation"
    assert reloaded["token"] == token


async def test_another_site_is_refused_and_a_listed_one_gets_cors(webchat: WebchatChannel) -> None:
    async with client(webchat) as http:
        refused = await http.post("/chat/api/session", json={}, headers={"Origin": "https://evil.example"})
        preflight = await http.options(
            "/chat/api/send", headers={"Origin": PARTNER, "Access-Control-Request-Method": "POST"}
        )
        partner = await http.post("/chat/api/session", json={}, headers={"Origin": PARTNER})
        own = await http.post("/chat/api/session", json={}, headers={"Origin": "http://bot.test"})
        stream = await http.get("/chat/api/stream?key=x.1.y", headers={"Origin": "https://evil.example"})
    assert (refused.status_code, stream.status_code) == (403, 403)
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == PARTNER
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert (partner.status_code, partner.headers["access-control-allow-origin"]) == (200, PARTNER)
    assert own.status_code == 200


async def test_the_rates_and_bounds_hold(app: App) -> None:
    channel = WebchatChannel(
        app.dispatcher,
        DatabaseConversations(app),
        app.catalogs,
        key=b"k" * 32,
        sessions=TokenBuckets(3, 0.001),
        requests=TokenBuckets(20, 0.001),
    )
    async with client(channel) as http:
        statuses = [(await http.post("/chat/api/session", json={})).status_code for _ in range(5)]
        opened = await http.post("/chat/api/session", json={})
        big = await http.post(
            "/chat/api/send",
            content=b"{" + b" " * 20_000 + b"}",
            headers={"Authorization": "Bearer " + "a" * 43, "Content-Type": "application/json"},
        )
        anonymous = await http.post("/chat/api/send", json={"id": "12345678", "text": "hi"})
        expired = await http.get("/chat/api/poll?key=" + "0" * 64 + ".1.deadbeef")
    assert statuses == [200, 200, 200, 429, 429]
    assert opened.status_code == 429
    assert (big.status_code, anonymous.status_code, expired.status_code) == (413, 401, 403)


async def test_a_staff_reply_reaches_the_visitors_page(webchat: WebchatChannel, app: App) -> None:
    async with client(webchat) as http:
        opened = await session(http)
        token, key = opened["token"], opened["key"]
        await say(http, token, "q-00000001", text="Can my driver wait inside the citadel grounds during the visit?")
        offer = [b for e in (await http.get(f"/chat/api/poll?key={key}")).json() for row in e.get("buttons", [])
                 for b in row if "staff" in b["label"]]  # fmt: skip
        await say(http, token, "q-00000002", payload=offer[0]["payload"], label=offer[0]["label"])
        async with app.sessions() as session_:
            [question] = (await session_.scalars(select(Question))).all()
        admin = Chat(app.dispatcher, user_id="admin")
        await admin.press_payload(f"{REPLY}:{question.id}")
        await admin.send("Yes: the car park by the north gate is open to visitors' drivers.")
        channels = {"webchat": webchat, "test": CollectingChannel()}
        assert await Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, channels, app.clock).send_due()
        history = (await http.get(f"/chat/api/poll?key={key}")).json()
    assert "the car park by the north gate" in history[-1]["text"], "delivered to the page, kept for the next visit"


def test_the_widget_is_small() -> None:
    widget = (STATIC / "widget.js").read_bytes()
    assert len(gzip.compress(widget)) < 20_000
    assert "innerHTML" not in widget.decode(), "every text is inserted as text"


async def test_a_visitor_links_another_app_and_then_gets_staff_replies_there(webchat: WebchatChannel, app: App) -> None:
    app.services.start_links["test"] = StartLink("Telegram", lambda parameter: f"https://t.me/bot?start={parameter}")
    async with client(webchat) as http:
        token, key = (opened := await session(http))["token"], opened["key"]
        await say(http, token, "l-00000001", payload="link", label="📲")
        links = [b["url"] for e in (await http.get(f"/chat/api/poll?key={key}")).json()
                 for row in e.get("buttons", []) for b in row if "url" in b]  # fmt: skip
        assert len(links) == 1 and links[0].startswith("https://t.me/bot?start=web-")
        elsewhere = Chat(app.dispatcher, user_id="anna-on-telegram")
        await elsewhere.send("/start " + links[0].split("start=")[1])
        assert "now linked to this chat" in elsewhere.text
        forger = Chat(app.dispatcher, user_id="forger")
        await forger.send("/start web-1-9999999999-0123456789abcdef")
        assert "This link has expired" in forger.text

        await say(http, token, "l-00000002", text="Can my driver wait inside the citadel grounds during the visit?")
        offer = [b for e in (await http.get(f"/chat/api/poll?key={key}")).json() for row in e.get("buttons", [])
                 for b in row if "staff" in b.get("label", "")]  # fmt: skip
        await say(http, token, "l-00000003", payload=offer[-1]["payload"], label=offer[-1]["label"])
    async with app.sessions() as session_:
        [question] = (await session_.scalars(select(Question))).all()
    admin = Chat(app.dispatcher, user_id="admin")
    await admin.press_payload(f"{REPLY}:{question.id}")
    await admin.send("Yes: the car park by the north gate is open to visitors' drivers.")
    async with app.sessions() as session_:
        [row] = (await session_.scalars(select(OutboxMessage).where(OutboxMessage.template == "staff_reply"))).all()
        recipient = await session_.get(User, row.user_id)
    assert recipient is not None and (recipient.channel, recipient.external_id) == ("test", "anna-on-telegram")
