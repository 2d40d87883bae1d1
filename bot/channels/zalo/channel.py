"""The Zalo channel: updates by long polling or webhook, each handled once, answers as plain numbered text.

Zalo has no update ids and may hand a read update out again: every message id is remembered in the
database (``seen``, given by the composition root) before the message is handled, so a repeat — on any
worker, after any restart — is skipped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.channels.base import DeliveryFailed, MessageRejected, Reception, RecipientUnreachable
from bot.channels.ordering import PerKeyOrder
from bot.channels.pacing import SendBudget, started
from bot.channels.webhooks import RejectedBody, json_object, secret_matches
from bot.channels.zalo.client import POLL_TIMEOUT, ZaloClient, ZaloError, ZaloUnreachable
from bot.channels.zalo.render import ZaloMessage, zalo_messages
from bot.channels.zalo.updates import Received, received
from bot.core.dispatcher import Dispatcher
from bot.core.messages import Priority, Reply
from bot.core.metrics import REPLY_SECONDS, THROTTLED, USERS_BLOCKED

log = logging.getLogger(__name__)

STOP_GRACE: Final = 1.0
"""Seconds a poll in flight may still bring its update once the channel stops."""

ZALO_WEBHOOK_PATH: Final = "/zalo/webhook"
ZALO_SECRET_HEADER: Final = "X-Bot-Api-Secret-Token"
MAX_BACKOFF: Final = 30.0
REPEAT_PAUSE: Final = 1.0
"""Seconds between polls after a poll handed out an update already handled."""
MAX_CONCURRENT_UPDATES: Final = 8
FLOODS: Final = 3
"""429s (Zalo's quota or rate) a message waits out before it counts as failed for now."""
UNREACHABLE_CODES: Final = frozenset({403})

Seen = Callable[[str], Awaitable[bool]]
"""Remembers a Zalo message id; True when it was remembered before (a repeat)."""
QUOTA_KEPT: Final = "Zalo's monthly quota is nearly used up: what is left is kept for replies and reminders"


class Quota(Protocol):
    """The plan's monthly quota (``ZALO_MONTHLY_QUOTA``), counted in the database."""

    async def spend(self, messages: int) -> None:
        """Count messages sent."""
        ...

    async def broadcasts_allowed(self) -> bool:
        """False once what is left is kept for replies and reminders."""
        ...


class ZaloChannel:
    """One Zalo bot account."""

    name = "zalo"
    title = "Zalo"
    has_buttons = False

    def __init__(
        self,
        client: ZaloClient,
        dispatcher: Dispatcher[Any],
        seen: Seen,
        *,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        budget: SendBudget | None = None,
        quota: Quota | None = None,
    ) -> None:
        self.client = client
        self._quota = quota
        self._dispatcher = dispatcher
        self._seen = seen
        self._webhook_url = webhook_url
        self._webhook_secret = webhook_secret
        self._budget = budget or SendBudget()
        self._order = PerKeyOrder()
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_UPDATES)
        self._stopping = asyncio.Event()
        self._last_heard: float | None = None
        self._background: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Register the webhook, or long-poll until ``stop``."""
        if self._webhook_url is not None:
            await self.client.set_webhook(self._webhook_url, self._webhook_secret or "")
            self._last_heard = time.time()
            await self._stopping.wait()
            return
        await self.client.delete_webhook()  # Zalo refuses polling while a webhook is set
        await self._poll()

    async def stop(self) -> None:
        """Stop receiving; updates in hand are finished."""
        self._stopping.set()
        await self.drain()

    def start_link(self, parameter: str) -> str | None:
        """Zalo has no links that hand the bot a parameter."""
        return None

    def reception(self) -> Reception:
        """Webhook or long polling, and when Zalo was last heard from."""
        return Reception("webhook" if self._webhook_url else "polling", self._last_heard)

    def web_routes(self) -> Sequence[BaseRoute]:
        """``POST /zalo/webhook``, when Zalo pushes updates."""
        return [Route(ZALO_WEBHOOK_PATH, self._receive, methods=["POST"])] if self._webhook_url else []

    async def close(self) -> None:
        """Close the client."""
        await self.client.close()

    async def handle_update(self, body: dict[str, Any]) -> bool:
        """Start handling one update unless its message was handled before (False: a repeat, or nothing to
        handle). Updates of one user are handled in order, of different users side by side."""
        arrived = self._last_heard = time.time()
        message = received(body, self.name)
        if message is None or await self._seen(message.message_id):
            return False
        task = asyncio.create_task(self._order.run(message.incoming.user_id, lambda: self._handle(message, arrived)))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return True

    async def drain(self) -> None:
        """Wait until every update started is handled."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def send(self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE) -> str | None:
        """Send ``replies`` as Zalo messages within the channel's budget and quota (a broadcast's copy waits
        once little of the month's quota is left); the last message's id."""
        if priority is Priority.BULK and self._quota is not None and not await self._quota.broadcasts_allowed():
            raise DeliveryFailed(QUOTA_KEPT)
        last = None
        for message in zalo_messages(replies):
            last = await self._send_one(chat_id, message, priority)
            started()
            if self._quota is not None:
                await self._quota.spend(1)
        return last

    async def _send_one(self, chat_id: str, message: ZaloMessage, priority: Priority) -> str | None:
        floods = 0
        while True:
            await self._budget.acquire(priority, chat_id)
            try:
                if message.photo_url is not None:
                    return await self.client.send_photo(chat_id, message.photo_url, message.text)
                return await self.client.send_message(chat_id, message.text)
            except ZaloUnreachable as exc:
                raise DeliveryFailed(str(exc)) from None
            except ZaloError as exc:
                if exc.code == 429:
                    THROTTLED.labels(self.name).inc()
                if exc.code == 429 and floods < FLOODS and priority is not Priority.BULK:
                    floods += 1
                    await self._budget.flooded(1.0)
                    continue
                if exc.code in UNREACHABLE_CODES:
                    raise RecipientUnreachable(str(exc)) from None
                if exc.code == 400:
                    raise MessageRejected(str(exc)) from None
                raise DeliveryFailed(str(exc)) from None

    async def _handle(self, message: Received, arrived: float) -> None:
        async with self._slots:
            try:
                replies = await self._dispatcher.handle(message.incoming)
                await self.send(message.incoming.chat_id, replies, priority=Priority.REPLY)
                REPLY_SECONDS.labels(self.name).observe(time.time() - arrived)
            except RecipientUnreachable:
                USERS_BLOCKED.labels(self.name).inc()
            except DeliveryFailed as exc:
                log.warning("could not deliver the reply to Zalo message %s: %s", message.message_id, exc)
            except Exception:
                log.exception("Zalo message %s could not be handled", message.message_id)

    async def _receive(self, request: Request) -> Response:
        """The webhook: refused (403) without the secret; answered at once, handled after."""
        if not secret_matches(request.headers.get(ZALO_SECRET_HEADER), self._webhook_secret):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            body = await json_object(request)
        except RejectedBody as refused:
            return refused.response()
        await self._handle_received(body)
        return JSONResponse({"message": "Success"})

    async def _poll(self) -> None:
        """Long polling: one update a call; Zalo's 408 means nothing new; errors back off; a repeat waits a
        second before the next poll."""
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                update = await self._next_update()
            except (ZaloError, ZaloUnreachable) as exc:
                log.warning("Zalo getUpdates failed (%s); retrying in %.1f s", exc, backoff)
                await self._pause(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff, self._last_heard = 0.5, time.time()
            if update is not None and not await self._handle_received(update):
                await self._pause(REPEAT_PAUSE)
        await self.drain()

    async def _next_update(self) -> dict[str, Any] | None:
        """The next update, or None when stopping or nothing new came."""
        fetch = asyncio.create_task(self.client.get_update(POLL_TIMEOUT))
        stopping = asyncio.create_task(self._stopping.wait())
        try:
            await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if not fetch.done():  # stopping: an update already on its way is still taken (Zalo hands it out once)
            await asyncio.wait({fetch}, timeout=STOP_GRACE)
        if not fetch.done():
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await fetch
            return None
        return fetch.result()

    async def _handle_received(self, update: dict[str, Any]) -> bool:
        """``handle_update``, logging instead of raising (the database may be out of reach for a moment)."""
        try:
            return await self.handle_update(update)
        except Exception:
            log.exception("a Zalo update could not be handled")
            return True

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
