"""The web chat channel: ``/chat/widget.js`` on any allowed site, the conversation kept on the server.

- ``POST /chat/api/session`` (the visitor's token in the body, or none: a new one is made) returns the
  token, a stream key, the history and the widget's strings in the visitor's language.
- ``GET /chat/api/stream?key=…``: server-sent events, one per message, with increasing ids, so the
  browser's own reconnect resumes after ``Last-Event-ID`` and nothing is missed. The key is signed and short
  lived: the token itself never appears in a URL (URLs get logged).
- ``GET /chat/api/poll?key=…&after=N``: the same messages as JSON, for proxies that break streaming.
- ``POST /chat/api/send`` (``Authorization: Bearer <token>``) with a client-made id, so a retried POST is
  handled once; ``POST /chat/api/clear`` empties the conversation.

Every request from an origin other than the bot's own and ``WEBCHAT_ORIGINS`` is refused (403); each address
and each visitor has a rate; bodies are small. The visitor's id is the SHA-256 of their token."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Final, Protocol

from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.channels.base import Reception
from bot.channels.ordering import PerKeyOrder
from bot.channels.webchat.render import body_of, said
from bot.channels.webhooks import RejectedBody, json_object
from bot.core.buckets import TokenBuckets
from bot.core.dispatcher import Dispatcher
from bot.core.i18n import N_, Catalogs
from bot.core.languages import parse_language
from bot.core.messages import MAX_PAYLOAD_BYTES, Incoming, Priority, Reply, cut
from bot.core.signing import stamped, stamped_subject

STATIC: Final = Path(__file__).with_name("static")
NAME: Final = "webchat"
TOKEN_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{43}")
"""``secrets.token_urlsafe(32)``: 256 bits."""
TEXT_LIMIT: Final = 4096
KEY_LIFETIME: Final = 3600.0
KEY_SIGNATURE: Final = 32
WAKE_EVERY: Final = 2.0
"""A stream looks at the database this often for messages another worker stored."""
PING: Final = 15
STRINGS: Final = {
    "title": N_("HAUFO chat"),
    "open": N_("Open the HAUFO chat"),
    "close": N_("Close the chat"),
    "log": N_("Conversation with HAUFO"),
    "input": N_("Your message"),
    "placeholder": N_("Type a message…"),
    "send": N_("Send"),
    "clear": N_("Clear the conversation"),
    "cleared": N_("The conversation has been cleared."),
    "lost": N_("Connection lost. Reconnecting…"),
    "restored": N_("Connected again."),
    "chose": N_("You chose: {label}"),
    "you": N_("You"),
    "map": N_("Open the map"),
    "link": N_("Receive messages in another app"),
}
"""The widget's own words, from the same catalogs as everything else."""


class Conversations(Protocol):
    """Where the conversations live (the database, through the composition root)."""

    async def history(self, visitor: str, after: int) -> list[dict[str, Any]]:
        """The visitor's messages after id ``after``, oldest first: ``{"id", "from", …body}``."""
        ...

    async def record(self, visitor: str, messages: Sequence[tuple[str, dict[str, Any]]]) -> int | None:
        """Append ``(sender, body)`` messages; the last one's id, or None when the visitor has never written
        (nothing to append to)."""
        ...

    async def clear(self, visitor: str) -> None:
        """Empty the visitor's conversation."""
        ...

    async def first_time(self, message_id: str) -> bool:
        """True unless a message with this id was handled before (a retried POST)."""
        ...


def visitor_of(token: str) -> str:
    """The visitor's id (their user's external id): the token's SHA-256, so the database holds no token."""
    return hashlib.sha256(token.encode()).hexdigest()


class WebchatChannel:
    """The web chat: its routes on the bot's web app, and sending to a visitor's page."""

    name = NAME
    title = "Web chat"
    has_buttons = True

    def __init__(
        self,
        dispatcher: Dispatcher[Any],
        conversations: Conversations,
        catalogs: Catalogs,
        *,
        key: bytes,
        origins: Sequence[str] = (),
        sessions: TokenBuckets | None = None,
        requests: TokenBuckets | None = None,
    ) -> None:
        self._dispatcher = dispatcher
        self._conversations = conversations
        self._catalogs = catalogs
        self._key = key
        self._origins = frozenset(origin.rstrip("/") for origin in origins)
        self._sessions = sessions or TokenBuckets(10, 0.2)  # per address: ten at once, then one every 5 s
        self._requests = requests or TokenBuckets(30, 5)  # per address: thirty at once, then five a second
        self._order = PerKeyOrder()
        self._arrived: dict[str, asyncio.Event] = {}
        self._stopping = asyncio.Event()
        self._last_heard: float | None = None

    async def start(self) -> None:
        """Nothing to fetch: visitors post to the web server, until ``stop``."""
        self._last_heard = time.time()
        await self._stopping.wait()

    async def stop(self) -> None:
        """Stop; open streams end."""
        self._stopping.set()
        for event in self._arrived.values():
            event.set()

    def start_link(self, parameter: str) -> str | None:
        """The web chat has no deep links."""
        return None

    def reception(self) -> Reception:
        """Visitors post to the web server."""
        return Reception("webhook", self._last_heard)

    async def close(self) -> None:
        """Nothing to release."""

    async def send(self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE) -> str | None:
        """Keep ``replies`` in the visitor's conversation; an open page gets them at once, a closed one on the
        next visit. Returns the last message's id."""
        last = await self._keep(chat_id, [("bot", body_of(reply)) for reply in replies])
        return str(last) if last is not None else None

    async def _keep(self, visitor: str, messages: Sequence[tuple[str, dict[str, Any]]]) -> int | None:
        """Store messages in the visitor's conversation (one transaction) and wake their open streams."""
        last = await self._conversations.record(visitor, messages)
        self._wake(visitor)
        return last

    def web_routes(self) -> Sequence[BaseRoute]:
        """The widget, the demo page and the chat's endpoints."""
        return [
            Route("/chat/", self._demo, methods=["GET"]),
            Route("/chat/widget.js", self._widget, methods=["GET"]),
            Route("/chat/api/session", self._guarded(self._session), methods=["POST", "OPTIONS"]),
            Route("/chat/api/send", self._guarded(self._send), methods=["POST", "OPTIONS"]),
            Route("/chat/api/clear", self._guarded(self._clear), methods=["POST", "OPTIONS"]),
            Route("/chat/api/stream", self._guarded(self._stream), methods=["GET"]),
            Route("/chat/api/poll", self._guarded(self._poll), methods=["GET"]),
        ]

    # -- the pieces every endpoint shares

    def _wake(self, visitor: str) -> None:
        event = self._arrived.pop(visitor, None)
        if event is not None:
            event.set()

    def _allowed_origin(self, request: Request) -> str | None:
        """The request's origin when it may use the chat ("" for a same-origin request without one); None
        when it may not."""
        origin = request.headers.get("origin")
        if origin is None:
            return ""
        own = f"{request.url.scheme}://{request.url.netloc}"
        return origin if origin == own or origin.rstrip("/") in self._origins else None

    def _guarded(self, endpoint: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        """``endpoint`` behind the origin check (and CORS), the address rate and the preflight."""

        async def guarded(request: Request) -> Response:
            origin = self._allowed_origin(request)
            if origin is None:
                return PlainTextResponse("this site may not use the chat", status_code=403)
            cors = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if origin else {"Vary": "Origin"}
            if request.method == "OPTIONS":
                cors |= {"Access-Control-Allow-Methods": "GET, POST", "Access-Control-Max-Age": "600",
                         "Access-Control-Allow-Headers": "Authorization, Content-Type, Last-Event-ID"}  # fmt: skip
                return Response(status_code=204, headers=cors)
            if not self._requests.take(_address(request)):
                return PlainTextResponse("too many requests", status_code=429, headers={**cors, "Retry-After": "2"})
            self._last_heard = time.time()
            response = await endpoint(request)
            response.headers.update(cors)
            return response

        return guarded

    def _stream_key(self, visitor: str) -> str:
        expires = int(time.time() + KEY_LIFETIME)
        return stamped(visitor, "webchat", expires, self._key, length=KEY_SIGNATURE, separator=".")

    def _keyed_visitor(self, request: Request) -> str | None:
        key = request.query_params.get("key", "")
        return stamped_subject(key, "webchat", self._key, time.time(), length=KEY_SIGNATURE, separator=".")

    @staticmethod
    def _token(request: Request) -> str | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return token if scheme.lower() == "bearer" and TOKEN_PATTERN.fullmatch(token) else None

    # -- the endpoints

    async def _demo(self, request: Request) -> Response:
        return FileResponse(STATIC / "demo.html", media_type="text/html; charset=utf-8")

    async def _widget(self, request: Request) -> Response:
        return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8",
                            headers={"Cache-Control": "public, max-age=300"})  # fmt: skip

    async def _session(self, request: Request) -> Response:
        if not self._sessions.take(_address(request)):
            return PlainTextResponse("too many requests", status_code=429, headers={"Retry-After": "5"})
        try:
            body = await json_object(request, limit=4096)
        except RejectedBody as refused:
            return refused.response()
        token = body.get("token")
        if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
            token = secrets.token_urlsafe(32)
        visitor = visitor_of(token)
        language = parse_language(str(body.get("lang") or "")) or "en"
        locale = self._catalogs.locale(language)
        strings = {name: locale.gettext(message) for name, message in STRINGS.items()}
        history = await self._conversations.history(visitor, 0)
        return JSONResponse({"token": token, "key": self._stream_key(visitor), "history": history,
                             "strings": strings, "lang": language}, headers={"Cache-Control": "no-store"})  # fmt: skip

    async def _send(self, request: Request) -> Response:
        token = self._token(request)
        if token is None:
            return PlainTextResponse("a session token is needed", status_code=401)
        try:
            body = await json_object(request, limit=16_384)
        except RejectedBody as refused:
            return refused.response()
        message_id, text, payload = body.get("id"), body.get("text"), body.get("payload")
        if not isinstance(message_id, str) or not 8 <= len(message_id) <= 64:
            return PlainTextResponse("each message needs an id of 8 to 64 characters", status_code=400)
        if (
            not isinstance(text, str | None)
            or not isinstance(payload, str | None)
            or (text is None) == (payload is None)
        ):
            return PlainTextResponse("send either a text or a payload", status_code=400)
        visitor = visitor_of(token)
        if not await self._conversations.first_time(f"{visitor}:{message_id}"):
            return JSONResponse({"accepted": message_id, "repeat": True})
        label = body.get("label") if isinstance(body.get("label"), str) else None
        incoming = Incoming(
            NAME, visitor, visitor, text=cut(text, TEXT_LIMIT) if payload is None else None,
            payload=cut(payload, MAX_PAYLOAD_BYTES), language_hint=str(body.get("lang") or "")[:16] or None,
        )  # fmt: skip
        await self._order.run(visitor, lambda: self._handle(incoming, said(incoming.text, cut(label, 200))))
        return JSONResponse({"accepted": message_id})

    async def _handle(self, incoming: Incoming, own: dict[str, Any]) -> None:
        replies = await self._dispatcher.handle(incoming)  # first: it creates the visitor on first contact
        await self._keep(incoming.user_id, [("user", own), *(("bot", body_of(reply)) for reply in replies)])

    async def _clear(self, request: Request) -> Response:
        token = self._token(request)
        if token is None:
            return PlainTextResponse("a session token is needed", status_code=401)
        await self._conversations.clear(visitor_of(token))
        return JSONResponse({"cleared": True})

    def _after(self, request: Request) -> int:
        given = request.headers.get("last-event-id") or request.query_params.get("after") or "0"
        return int(given) if given.isascii() and given.isdecimal() and len(given) < 19 else 0

    async def _poll(self, request: Request) -> Response:
        visitor = self._keyed_visitor(request)
        if visitor is None:
            return PlainTextResponse("the stream key has expired: open a session again", status_code=403)
        return JSONResponse(await self._conversations.history(visitor, self._after(request)))

    async def _stream(self, request: Request) -> Response:
        visitor = self._keyed_visitor(request)
        if visitor is None:
            return PlainTextResponse("the stream key has expired: open a session again", status_code=403)
        return EventSourceResponse(self._events(visitor, self._after(request)), ping=PING,
                                   headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})  # fmt: skip

    async def _events(self, visitor: str, after: int) -> AsyncIterator[ServerSentEvent]:
        """Every message after ``after``, then each new one as it comes (woken by ``send`` in this process,
        and every ``WAKE_EVERY`` for what other workers stored)."""
        while not self._stopping.is_set():
            arrived = self._arrived.setdefault(visitor, asyncio.Event())
            for entry in await self._conversations.history(visitor, after):
                after = int(entry["id"])
                yield ServerSentEvent(data=json.dumps(entry, ensure_ascii=False), id=str(after), event="message")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived.wait(), WAKE_EVERY)


def _address(request: Request) -> str:
    """Who is asking: the socket's peer, or behind our own reverse proxy (a loopback peer) the address it
    forwards."""
    peer = request.client.host if request.client is not None else "?"
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and peer in ("127.0.0.1", "::1"):
        return forwarded.split(",")[-1].strip() or peer
    return peer
