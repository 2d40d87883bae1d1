"""The Telegram channel: receives updates by long polling or webhook, and answers through the dispatcher."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from functools import partial
from typing import Any, Final

from starlette.routing import BaseRoute
from telegram import BotCommand, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.channels.base import DeliveryFailed, MessageRejected, PollBook, Reception, RecipientUnreachable
from bot.channels.ordering import PerKeyOrder
from bot.channels.pacing import SendBudget
from bot.channels.telegram.client import POLL_TIMEOUT, retry_seconds, with_retries
from bot.channels.telegram.render import TelegramRenderer
from bot.channels.telegram.updates import ALLOWED_UPDATES, from_poll_answer, poll_choice, to_incoming, user_key
from bot.channels.telegram.webhook import webhook_route
from bot.core.dispatcher import Dispatcher
from bot.core.i18n import Catalogs
from bot.core.languages import DEFAULT_LANGUAGE, LANGUAGES
from bot.core.messages import Incoming, Priority, Reply
from bot.core.metrics import REPLY_SECONDS, THROTTLED, USERS_BLOCKED

log = logging.getLogger(__name__)

MAX_BACKOFF: Final = 30.0
MAX_CONCURRENT_UPDATES: Final = 8
NOTICE_FLOODS: Final = 3
"""429s a message the bot starts itself waits out before the outbox tries it again later."""


class TelegramChannel:
    """One bot account on Telegram."""

    name = "telegram"
    title = "Telegram"
    has_buttons = True

    def __init__(
        self,
        bot: ExtBot[None],
        dispatcher: Dispatcher[Any],
        *,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        budget: SendBudget | None = None,
        polls: PollBook | None = None,
    ) -> None:
        self.bot = bot
        self._dispatcher = dispatcher
        self._polls = polls
        self._renderer = TelegramRenderer(bot, budget, polls=polls)
        # The outbox retries durably, with its own backoff: one try, and a few 429s waited out.
        self._notifier = TelegramRenderer(bot, budget, attempts=1, floods=NOTICE_FLOODS, polls=polls)
        self._order = PerKeyOrder()
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_UPDATES)
        self._webhook_url = webhook_url
        self._webhook_secret = webhook_secret
        self._stopping = asyncio.Event()
        self._offset: int | None = None
        self._last_heard: float | None = None

    @property
    def uses_webhook(self) -> bool:
        """True when Telegram pushes updates to our web server."""
        return self._webhook_url is not None

    async def set_commands(self, commands: Sequence[tuple[str, str]], catalogs: Catalogs) -> None:
        """The command menu in every language, and English for everyone else."""
        for language in (None, *LANGUAGES):
            locale = catalogs.locale(language or DEFAULT_LANGUAGE)
            listed = [BotCommand(name, locale.gettext(description)) for name, description in commands]
            await with_retries(partial(self.bot.set_my_commands, listed, language_code=language), what="setMyCommands")

    async def start(self) -> None:
        """Register the webhook, or long-poll until ``stop``."""
        if self._webhook_url is not None:
            await with_retries(
                lambda: self.bot.set_webhook(
                    self._webhook_url or "", secret_token=self._webhook_secret, allowed_updates=list(ALLOWED_UPDATES)
                ),
                what="setWebhook",
            )
            self._last_heard = time.time()
            await self._stopping.wait()
            return
        await with_retries(lambda: self.bot.delete_webhook(), what="deleteWebhook")
        await self._poll()

    async def stop(self) -> None:
        """Stop receiving; updates in hand are finished and their offset committed."""
        self._stopping.set()

    def start_link(self, parameter: str) -> str | None:
        """``https://t.me/<bot>?start=<parameter>``."""
        return f"https://t.me/{self.bot.username}?start={parameter}"

    def reception(self) -> Reception:
        """Webhook or long polling, and when Telegram was last heard from."""
        return Reception("webhook" if self.uses_webhook else "polling", self._last_heard)

    def web_routes(self) -> Sequence[BaseRoute]:
        """The webhook route, when Telegram pushes updates."""
        return [webhook_route(self.handle_update, self._webhook_secret)] if self.uses_webhook else []

    async def close(self) -> None:
        """Shut the Bot API client down."""
        await self.bot.shutdown()

    async def send(self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE) -> str | None:
        """Send replies the bot starts itself (not answers to an update); return the last message's id.

        429s were already waited out and resent; what is left is said in the channel's own terms."""
        try:
            sent = await self._notifier.send(chat_id, replies, priority=priority)
        except Forbidden as exc:
            raise RecipientUnreachable(exc.message) from exc
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                raise RecipientUnreachable(exc.message) from exc
            raise MessageRejected(exc.message) from exc
        except TelegramError as exc:
            raise DeliveryFailed(str(exc) or type(exc).__name__) from exc
        return str(sent) if sent is not None else None

    async def handle_update(self, raw: dict[str, Any]) -> None:
        """Handle one update, after any earlier update of the same user; at most ``MAX_CONCURRENT_UPDATES``
        at a time, so that the one holding the database is not kept waiting behind a crowd."""
        started = self._last_heard = time.time()
        await self._order.run(user_key(raw), lambda: self._handle_in_slot(raw))
        REPLY_SECONDS.labels(self.name).observe(time.time() - started)

    async def _handle_in_slot(self, raw: dict[str, Any]) -> None:
        async with self._slots:
            await self._handle(raw)

    async def _handle(self, raw: dict[str, Any]) -> None:
        if not any(kind in raw for kind in ALLOWED_UPDATES):  # asked for none else; a forged webhook body may
            return
        try:
            update = Update.de_json(raw, self.bot)
        except Exception:
            log.exception("skipping update %s that could not be parsed", raw.get("update_id"))
            return
        incoming = (
            await self._poll_answer(update)
            if update.poll_answer
            else to_incoming(update, self.bot.username, self.bot.id)
        )
        if incoming is None:
            return
        replies = await self._dispatcher.handle(incoming)
        try:
            await self._renderer.send(incoming.chat_id, replies, update)
        except Forbidden:
            USERS_BLOCKED.labels(self.name).inc()
            log.info("user %s blocked the bot; reply not delivered", incoming.user_id)
        except TelegramError:
            log.exception("could not deliver the reply to update %s", raw.get("update_id"))

    async def _poll_answer(self, update: Update) -> Incoming | None:
        """An answer to one of our quiz polls, as the press of its option's button; None for a poll we do not
        know (or a retracted vote)."""
        choice = poll_choice(update)
        if choice is None or self._polls is None:
            return None
        poll_id, option, user = choice
        payloads = await self._polls.recall(self.name, poll_id)
        if payloads is None or not 0 <= option < len(payloads):
            log.info("an answer to unknown poll %s; ignored", poll_id)
            return None
        return from_poll_answer(update, user, payloads[option], self.bot.username)

    async def handle_batch(self, updates: Sequence[dict[str, Any]]) -> None:
        """Handle a batch: concurrently across users, in order for each user."""
        await asyncio.gather(*(self.handle_update(raw) for raw in updates))

    async def _poll(self) -> None:
        """Long polling. The offset moves past a batch only after the whole batch is handled, so updates
        in hand when the process dies are fetched again after restart."""
        backoff = 0.5
        stopping = asyncio.create_task(self._stopping.wait())
        try:
            while not self._stopping.is_set():
                fetch = asyncio.create_task(self._get_updates(POLL_TIMEOUT))
                await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not fetch.done():
                    fetch.cancel()
                    break
                try:
                    updates: list[dict[str, Any]] = fetch.result()
                except RetryAfter as exc:
                    THROTTLED.labels(self.name).inc()
                    await self._pause(retry_seconds(exc))
                    continue
                except (NetworkError, TimedOut) as exc:
                    log.warning("getUpdates failed (%s); retrying in %.1f s", exc, backoff)
                    await self._pause(backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF)
                    continue
                backoff, self._last_heard = 0.5, time.time()
                if updates:
                    await self.handle_batch(updates)
                    self._offset = max(int(raw["update_id"]) for raw in updates) + 1
        finally:
            stopping.cancel()
            await self._commit_offset()

    async def _get_updates(self, poll_seconds: int) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {"timeout": poll_seconds, "allowed_updates": list(ALLOWED_UPDATES)}
        if self._offset is not None:
            kwargs["offset"] = self._offset
        return await self._raw_get_updates(kwargs, read_timeout=poll_seconds + 15)

    async def _raw_get_updates(self, kwargs: dict[str, Any], read_timeout: float = 15) -> list[dict[str, Any]]:
        """getUpdates as raw JSON, so one update the library cannot parse does not hide the rest.

        Bot API method names are case-insensitive; the lower-case name keeps python-telegram-bot from
        warning that ``get_updates`` exists (which parses the whole batch at once)."""
        result = await self.bot.do_api_request("getupdates", api_kwargs=kwargs, read_timeout=read_timeout)
        return list(result or [])

    async def _commit_offset(self) -> None:
        """Tell Telegram the handled updates are done (getUpdates with the next offset confirms them)."""
        if self._offset is None:
            return
        try:
            await self._raw_get_updates({"offset": self._offset, "timeout": 0, "limit": 1})
        except TelegramError as exc:
            log.warning("could not confirm handled updates (%s); they may be delivered again", exc)

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake at once on stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
