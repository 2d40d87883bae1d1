"""A fake Telegram Bot API server: validates every call against api.json and answers like Telegram."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import copy
import functools
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fake_bot_api import messages
from tests.fake_bot_api.errors import POLL_CONFLICT, WEBHOOK_CONFLICT, ApiError
from tests.fake_bot_api.messages import GET_ME, Outbox, chat_key
from tests.fake_bot_api.request_body import RequestBody, Upload, read_body
from tests.fake_bot_api.runner import running
from tests.fake_bot_api.spec import BotApiSpec
from tests.fake_bot_api.update_queue import UpdateQueue

__all__ = ["DEFAULT_TOKEN", "Call", "FakeBotApi", "running"]

DEFAULT_TOKEN = f"{messages.BOT_ID}:AAHfakeTokenForHaufoBotTests_0123456"
BLOCKABLE = ("send", "edit", "copy", "forward")
T = TypeVar("T")


@functools.cache
def default_spec() -> BotApiSpec:
    """The bundled api.json, loaded once."""
    return BotApiSpec.load()


@dataclass(frozen=True)
class Call:
    """One request to the fake: the documented method name, decoded parameters, uploaded files, time.time()."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float


@dataclass
class _Failure:
    """An injected failure for the next `remaining` calls of a method."""

    error: ApiError
    remaining: int


class FakeBotApi:
    """State and Starlette app of the fake; every public method is safe to call from any thread."""

    def __init__(self, token: str = DEFAULT_TOKEN, spec: BotApiSpec | None = None) -> None:
        self.token = token
        self.spec = spec or default_spec()
        self.updates = UpdateQueue()
        self.outbox = Outbox()
        self.closing = False
        self._lock = threading.RLock()
        self._calls: list[Call] = []
        self._violations: list[tuple[str, str]] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._blocked: set[int | str] = set()
        self._flood_limit: float | None = None
        self._recent_sends: collections.deque[float] = collections.deque()
        self.too_many = 0
        """How many calls the flood limit answered with 429."""
        self.accepted_sends: list[float] = []
        """When (time.monotonic()) the flood limit let each send* call through."""
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._menu_buttons: dict[int | str | None, dict[str, Any]] = {}
        self._webhook: dict[str, Any] | None = None
        self._poll_generation = 0
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/file/bot{token}/{file_path:path}", self._download, methods=["GET"]),
            ],
            exception_handlers={HTTPException: self._http_error},
        )

    # What tests read and arrange

    @property
    def calls(self) -> list[Call]:
        """Every call received so far, valid or not, oldest first (a copy)."""
        with self._lock:
            return list(self._calls)

    @property
    def violations(self) -> list[tuple[str, str]]:
        """(method, message) of every call refused as invalid (400), oldest first (a copy)."""
        with self._lock:
            return list(self._violations)

    def calls_of(self, method: str) -> list[Call]:
        """The calls of one method (case-insensitive)."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def clear_calls(self) -> None:
        """Forget the calls and violations recorded so far."""
        with self._lock:
            self._calls.clear()
            self._violations.clear()

    def enqueue(self, update: dict[str, Any]) -> int:
        """Queue an incoming update (a copy, with the next update_id) for getUpdates; return its update_id."""
        with self._lock:
            self.outbox.learn_chats(update)
        return self.updates.enqueue(update)

    def pending(self) -> list[dict[str, Any]]:
        """The updates not confirmed yet by a getUpdates offset."""
        return self.updates.pending()

    def fail(
        self, method: str, status: int = 429, retry_after: int = 2, times: int = 1, description: str | None = None
    ) -> None:
        """Answer the next `times` valid calls of `method` with an error (429 carries retry_after)."""
        if times <= 0:
            return
        error = ApiError(status, description, retry_after if status == 429 else None)
        with self._lock:
            self._failures.setdefault(method.lower(), []).append(_Failure(error, times))

    def limit(self, per_second: float | None) -> None:
        """Answer send* calls beyond ``per_second`` in any one-second window with 429 and ``retry_after`` 1,
        as Telegram's flood control does for bulk messages (None: no limit)."""
        with self._lock:
            self._flood_limit = per_second
            self._recent_sends.clear()

    def failures_left(self, method: str) -> int:
        """How many calls of ``method`` the failures set up with ``fail`` will still answer."""
        with self._lock:
            return sum(failure.remaining for failure in self._failures.get(method.lower(), []))

    def block(self, chat_id: int | str) -> None:
        """Make send*/edit* calls to this chat fail like for a user who blocked the bot."""
        with self._lock:
            self._blocked.add(chat_key(chat_id))

    def unblock(self, chat_id: int | str) -> None:
        """Undo `block`."""
        with self._lock:
            self._blocked.discard(chat_key(chat_id))

    def messages_in(self, chat_id: int | str) -> list[dict[str, Any]]:
        """The bot's messages in a chat as they are now (after edits and deletions), oldest first."""
        with self._lock:
            found = [m for (chat, _), m in self.outbox.messages.items() if chat == chat_key(chat_id)]
            return copy.deepcopy(sorted(found, key=lambda m: m["message_id"]))

    def commands(self, scope: Mapping[str, Any] | None = None, language_code: str = "") -> list[dict[str, Any]]:
        """The commands set for a scope (default scope if None) and language."""
        with self._lock:
            return copy.deepcopy(self._commands.get((_scope_key(scope), language_code), []))

    @property
    def webhook_url(self) -> str:
        """The URL set with setWebhook, or ""."""
        with self._lock:
            return self._webhook["url"] if self._webhook else ""

    def add_file(self, file_id: str, content: bytes, file_name: str | None = None) -> None:
        """Make a file_id (for example from a fixture) downloadable with getFile."""
        with self._lock:
            unique = f"AgADfx{len(self.outbox.files):08d}"
            self.outbox.files[file_id] = messages.StoredFile(file_id, unique, content, file_name)

    def wait_until(self, predicate: Callable[[], T], timeout: float = 10.0, message: str = "") -> T:
        """Poll `predicate` until it returns something truthy, and return that; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if time.monotonic() > deadline:
                raise AssertionError(self._timeout_report(predicate, timeout, message))
            time.sleep(0.01)
        return result

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0, message: str = "") -> T:  # noqa: ASYNC109
        """Like `wait_until`, for async tests: sleeps without blocking the event loop of the bot under test."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if time.monotonic() > deadline:
                raise AssertionError(self._timeout_report(predicate, timeout, message))
            await asyncio.sleep(0.01)
        return result

    def release_polls(self) -> None:
        """Make waiting long polls return now (used when the server shuts down)."""
        self.closing = True
        self.updates.wake()

    def _timeout_report(self, predicate: Callable[[], object], timeout: float, message: str) -> str:
        """What a test needs to see when a wait times out."""
        name = getattr(predicate, "__qualname__", repr(predicate))
        calls = [f"{call.method}({json.dumps(call.params, ensure_ascii=False)[:200]})" for call in self.calls[-15:]]
        lines = [f"condition {name} not met within {timeout}s" + (f": {message}" if message else "")]
        lines += ["last calls:", *[f"  {line}" for line in calls or ["(none)"]]]
        lines += ["violations:", *[f"  {m}: {v}" for m, v in self.violations or [("-", "(none)")]]]
        lines += [f"pending updates: {[u['update_id'] for u in self.pending()]}"]
        return "\n".join(lines)

    # HTTP

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        """Telegram's answer to paths that are not methods."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        return ApiError(404 if status == 405 else status).response()

    async def _endpoint(self, request: Request) -> Response:
        """Record, authenticate, validate and execute one call."""
        given = request.path_params["method"]
        method = self.spec.canonical(given) or given
        body = await read_body(request)
        params, errors = self._params(method, body)
        with self._lock:
            self._calls.append(Call(method, params, {k: f.content for k, f in body.files.items()}, time.time()))
        try:
            if request.path_params["token"] != self.token:
                raise ApiError(401)
            if self.spec.canonical(given) is None:
                self._violate(method, f"unknown method {given!r}")
                raise ApiError(404)
            params = {k: v for k, v in params.items() if v is not None}
            errors = errors or self.spec.validate(method, params, body.files.keys())
            for violation in errors:
                self._violate(method, violation)
            if errors:
                raise ApiError(400, "Bad Request: " + "; ".join(errors))
            failure = self._injected_failure(method, params)
            if failure is not None:
                return failure.response()
            result = await self._execute(method, params, body.files)
        except ApiError as error:
            if error.status == 400 and not errors:
                self._violate(method, error.description.removeprefix("Bad Request: "))
            return error.response()
        return JSONResponse({"ok": True, "result": result})

    def _params(self, method: str, body: RequestBody) -> tuple[dict[str, Any], list[str]]:
        """Decoded parameters: form, query and JSON string values by their types (Telegram reads top-level JSON
        values as strings too), other JSON values as they are."""
        strings = {key: value for key, value in body.json.items() if isinstance(value, str)}
        params, errors = self.spec.decode(method, {**body.form, **strings})
        params.update({key: value for key, value in body.json.items() if not isinstance(value, str)})
        if body.error:
            errors.insert(0, body.error)
        return params, errors

    async def _download(self, request: Request) -> Response:
        """GET /file/bot<token>/<file_path> of a file returned by getFile."""
        if request.path_params["token"] != self.token:
            return ApiError(401).response()
        with self._lock:
            files = list(self.outbox.files.values())
        for stored in files:
            if stored.file_path() == request.path_params["file_path"]:
                return Response(stored.content, media_type=stored.mime_type or "application/octet-stream")
        return ApiError(404).response()

    def _violate(self, method: str, message: str) -> None:
        """Record a violation."""
        with self._lock:
            self._violations.append((method, message))

    def _injected_failure(self, method: str, params: Mapping[str, Any]) -> ApiError | None:
        """A failure set up with `fail` (used up one call at a time), or the 403 of a blocked chat."""
        with self._lock:
            queue = self._failures.get(method.lower(), [])
            if queue:
                failure = queue[0]
                failure.remaining -= 1
                if failure.remaining <= 0:
                    queue.pop(0)
                return failure.error
            if self._flood_limit is not None and method.startswith("send"):
                now = time.monotonic()
                while self._recent_sends and now - self._recent_sends[0] >= 1.0:
                    self._recent_sends.popleft()
                if len(self._recent_sends) >= self._flood_limit:
                    self.too_many += 1
                    return ApiError(429, retry_after=1)
                self._recent_sends.append(now)
                self.accepted_sends.append(now)
            blocked = method.startswith(BLOCKABLE) and chat_key(params.get("chat_id", "")) in self._blocked
        return ApiError(403) if blocked else None

    # Methods

    async def _execute(self, method: str, params: dict[str, Any], files: Mapping[str, Upload]) -> Any:
        """The result of a valid call."""
        if method == "getUpdates":
            return await self._get_updates(params)
        handler = getattr(self, f"_m_{method}", None)
        with self._lock:
            if handler is not None:
                return handler(params)
            returns = self.spec.returns(method)
            if method == "sendMediaGroup":
                return messages.send_media_group(params, files, self.outbox)
            if method.startswith("send") and "Message" in returns:
                return messages.send(method, params, files, self.outbox)
            if "Message" in returns and ("chat_id" in params or "inline_message_id" in params):
                return messages.edit(method, params, self.outbox)
            if returns == ("MessageId",):
                return {"message_id": self.outbox.new_message(params["chat_id"])["message_id"]}
            if returns and returns[0].startswith("Array of"):
                return []
            return True

    async def _get_updates(self, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Long polling like Telegram: confirm by offset, wait up to `timeout`, a newer poll ends an older one."""
        if self.webhook_url:
            raise ApiError(409, WEBHOOK_CONFLICT)
        self.updates.set_allowed(params.get("allowed_updates"))
        limit = params.get("limit", 100) if 1 <= params.get("limit", 100) <= 100 else 100
        offset, timeout = params.get("offset"), max(params.get("timeout", 0), 0)
        with self._lock:
            self._poll_generation += 1
            generation = self._poll_generation
        self.updates.wake()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            ready, event = self.updates.take(offset, limit, loop if timeout and not self.closing else None)
            if event is None:
                return ready
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), max(deadline - loop.time(), 0))
            finally:
                self.updates.forget(event)
            if generation != self._poll_generation:
                raise ApiError(409, POLL_CONFLICT)
            if self.closing or loop.time() >= deadline:
                return self.updates.take(offset, limit)[0]

    def _m_getMe(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The bot user with its capabilities."""
        return dict(GET_ME)

    def _m_setWebhook(self, params: Mapping[str, Any]) -> bool:
        """Set (or, with an empty url, remove) the webhook."""
        if params.get("drop_pending_updates"):
            self.updates.clear()
        self.updates.set_allowed(params.get("allowed_updates"))
        self._webhook = dict(params) if params["url"] else None
        return True

    def _m_deleteWebhook(self, params: Mapping[str, Any]) -> bool:
        """Remove the webhook."""
        if params.get("drop_pending_updates"):
            self.updates.clear()
        self._webhook = None
        return True

    def _m_getWebhookInfo(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The webhook URL and the number of pending updates."""
        info: dict[str, Any] = {
            "url": self._webhook["url"] if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates.pending()),
        }
        if self._webhook:
            info["max_connections"] = self._webhook.get("max_connections", 40)
        if self.updates.allowed is not None:
            info["allowed_updates"] = sorted(self.updates.allowed)
        return info

    def _m_setMyCommands(self, params: Mapping[str, Any]) -> bool:
        """Store the commands of a scope and language."""
        key = (_scope_key(params.get("scope")), params.get("language_code", ""))
        self._commands[key] = copy.deepcopy(params["commands"])
        return True

    def _m_deleteMyCommands(self, params: Mapping[str, Any]) -> bool:
        """Delete the commands of a scope and language."""
        self._commands.pop((_scope_key(params.get("scope")), params.get("language_code", "")), None)
        return True

    def _m_getMyCommands(self, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The commands of exactly this scope and language."""
        return copy.deepcopy(self._commands.get((_scope_key(params.get("scope")), params.get("language_code", "")), []))

    def _m_setChatMenuButton(self, params: Mapping[str, Any]) -> bool:
        """Store the menu button of a chat (or the default one)."""
        self._menu_buttons[params.get("chat_id")] = params.get("menu_button", {"type": "default"})
        return True

    def _m_getChatMenuButton(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The menu button of a chat, else the default one."""
        return self._menu_buttons.get(params.get("chat_id"), self._menu_buttons.get(None, {"type": "default"}))

    def _m_deleteMessage(self, params: Mapping[str, Any]) -> bool:
        """Forget a message of the bot."""
        self.outbox.messages.pop((self.outbox.chat(params["chat_id"])["id"], params["message_id"]), None)
        return True

    def _m_getFile(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """A File for a known file_id, downloadable under /file/bot<token>/<file_path>."""
        stored = self.outbox.files.get(params["file_id"])
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path(),
        }


def _scope_key(scope: Mapping[str, Any] | None) -> str:
    """A hashable key of a BotCommandScope (None is the default scope)."""
    return json.dumps(dict(scope or {"type": "default"}), sort_keys=True)
