"""A fake Zalo Bot Platform API, as the SDKs and community bots measured it (see the README beside this file).

Every answer is ``{ok, result}`` or ``{ok: false, error_code, description}``, errors with HTTP 200 (or the
old host's HTTP status with ``old_host``); ``getUpdates`` hands out one update per call and answers an
idle poll with error 408; with ``redeliver`` an update read stays queued and comes again while others wait
behind it (one source measured that); no buttons, no editing, no uploads, no documents."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

DEFAULT_TOKEN = "1234567890:zalo-fake-token-abcdefghijklmnop"
MAX_TEXT = 2000
MAX_POLL = 30.0
SENDS = frozenset({"sendMessage", "sendPhoto", "sendSticker", "sendVoice"})
KNOWN = SENDS | {"getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "sendChatAction"}


@dataclass(frozen=True)
class Call:
    """One request: method, JSON body, time.time()."""

    method: str
    params: dict[str, Any]
    at: float


class ZaloError(Exception):
    """An answer with ``ok: false``."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


class FakeZaloApi:
    """State and Starlette app of the fake; public methods are safe to call from any thread."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, old_host: bool = False, redeliver: bool = False) -> None:
        self.token = token
        self.old_host = old_host
        self.redeliver = redeliver
        self.closing = False
        self.quota: int | None = None
        """Messages left this month; a send beyond answers error 429 (None: unlimited)."""
        self._lock = threading.Lock()
        self._updates: list[dict[str, Any]] = []
        self._calls: list[Call] = []
        self._sent: list[dict[str, Any]] = []
        self._webhook: dict[str, Any] | None = None
        self._next_message = 1
        self.app = Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["POST", "GET"])])

    # What tests arrange and read

    def enqueue(self, update: dict[str, Any]) -> None:
        """An update for ``getUpdates``, as Zalo hands it out: ``{event_name, message}``."""
        with self._lock:
            self._updates.append(update)

    @property
    def calls(self) -> list[Call]:
        """Every call so far (a copy)."""
        with self._lock:
            return list(self._calls)

    def calls_of(self, method: str) -> list[Call]:
        """The calls of one method."""
        return [call for call in self.calls if call.method == method]

    def sent_to(self, chat_id: str) -> list[dict[str, Any]]:
        """What the bot sent to one chat, oldest first (messages and photos)."""
        with self._lock:
            return [dict(message) for message in self._sent if message["chat_id"] == chat_id]

    def texts_to(self, chat_id: str) -> list[str]:
        """The text (or caption) of everything sent to one chat."""
        return [str(message.get("text") or message.get("caption") or "") for message in self.sent_to(chat_id)]

    @property
    def webhook(self) -> dict[str, Any] | None:
        """The webhook set, if any."""
        with self._lock:
            return dict(self._webhook) if self._webhook else None

    def pending(self) -> int:
        """Updates not handed out yet."""
        with self._lock:
            return len(self._updates)

    def release_polls(self) -> None:
        """End the long polls in progress (the server is shutting down)."""
        self.closing = True

    def wait_until(self, predicate: Any, timeout: float = 10.0) -> Any:
        """Poll ``predicate`` until it returns something truthy; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if time.monotonic() > deadline:
                raise AssertionError(f"not met within {timeout} s; last calls: {self.calls[-8:]}")
            time.sleep(0.01)
        return result

    # HTTP

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        try:
            params = await request.json() if await request.body() else {}
        except ValueError:
            params = None
        with self._lock:
            self._calls.append(Call(method, params if isinstance(params, dict) else {}, time.time()))
        try:
            if request.path_params["token"] != self.token:
                raise ZaloError(401, "Unauthorized")
            if method not in KNOWN:
                raise ZaloError(404, "Not Found")
            if not isinstance(params, dict):
                raise ZaloError(400, "Bad Request: the body must be a JSON object")
            result = await self._execute(method, params)
        except ZaloError as error:
            status = error.code if self.old_host else 200
            return JSONResponse({"ok": False, "error_code": error.code, "description": error.description}, status)
        return JSONResponse({"ok": True, "result": result})

    async def _execute(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": "1234567890", "account_name": "haufo.bot", "display_name": "HAUFO", "can_join_groups": False}
        if method == "getUpdates":
            return await self._get_updates(params)
        if method == "setWebhook":
            url, secret = params.get("url"), params.get("secret_token")
            if not isinstance(url, str) or urlparse(url).scheme != "https":
                raise ZaloError(400, "Bad Request: url must be a public https URL")
            if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
                raise ZaloError(400, "Bad Request: secret_token must be 8-256 characters")
            with self._lock:
                self._webhook = {"url": url, "secret_token": secret}
            return {"url": url, "updated_at": int(time.time() * 1000)}
        if method == "deleteWebhook":
            with self._lock:
                self._webhook = None
            return {"url": "", "updated_at": int(time.time() * 1000)}
        if method == "getWebhookInfo":
            hook = self.webhook
            if hook is None:
                raise ZaloError(404, "Not Found")
            return {"url": hook["url"], "updated_at": int(time.time() * 1000)}
        if method == "sendChatAction":
            self._chat(params)
            return {}
        return self._send(method, params)

    async def _get_updates(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.webhook is not None:
            raise ZaloError(400, "Bad Request: webhook is set, remove the webhook first")
        timeout = min(float(params.get("timeout", 0) or 0), MAX_POLL)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if self._updates:
                    update = self._updates[0]
                    if not (self.redeliver and len(self._updates) > 1 and not update.get("_read")):
                        self._updates.pop(0)
                    else:
                        update["_read"] = True
                    return {key: value for key, value in update.items() if key != "_read"}
            if time.monotonic() >= deadline or self.closing:
                raise ZaloError(408, "Request timeout")
            await asyncio.sleep(0.01)

    def _chat(self, params: dict[str, Any]) -> str:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, str) or not chat_id:
            raise ZaloError(400, "Bad Request: chat_id is required")
        return chat_id

    def _send(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat(params)
        message: dict[str, Any] = {"chat_id": chat_id, "method": method}
        if method == "sendMessage":
            text = params.get("text")
            if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
                raise ZaloError(400, f"Bad Request: text must be 1-{MAX_TEXT} characters")
            message["text"] = text
        elif method == "sendPhoto":
            photo = params.get("photo")
            if not isinstance(photo, str) or urlparse(photo).scheme not in {"http", "https"}:
                raise ZaloError(400, "Bad Request: photo must be a public http(s) URL")
            message |= {"photo": photo, "caption": params.get("caption")}
        else:
            message |= {key: value for key, value in params.items() if key != "chat_id"}
        with self._lock:
            if self.quota is not None:
                if self.quota <= 0:
                    raise ZaloError(429, "Quota exceeded")
                self.quota -= 1
            message["message_id"] = f"m{self._next_message}"
            self._next_message += 1
            self._sent.append(message)
        return {"message_id": message["message_id"], "date": int(time.time() * 1000)}
