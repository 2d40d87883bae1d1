"""``haufo-bot run``: every configured channel, the web server for webhooks, and a clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import uvicorn
from starlette.routing import BaseRoute

from bot.app import App, build_app
from bot.channels.base import Channel
from bot.channels.console import ConsoleChannel
from bot.channels.pacing import SendBudget
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.client import connect, make_bot
from bot.channels.telegram.webhook import TELEGRAM_WEBHOOK_PATH
from bot.channels.webchat.channel import NAME as WEBCHAT
from bot.channels.zalo.channel import ZALO_WEBHOOK_PATH, ZaloChannel
from bot.channels.zalo.client import ZaloClient, ZaloError, ZaloUnreachable
from bot.config import Settings
from bot.content_reloading import ContentReloader
from bot.core.messages import Attachment
from bot.core.metrics import OUTBOX_PENDING
from bot.core.startup import StartupError
from bot.running import registered
from bot.scheduling.delivery import Delivery
from bot.scheduling.housekeeping import Housekeeping, Retention
from bot.scheduling.scheduler import Scheduler
from bot.scheduling.send_rates import SharedTimeline
from bot.services.outbox import WAKE, Outbox
from bot.services.received_messages import ReceivedMessages
from bot.services.sent_polls import SentPolls
from bot.services.tickets import CHECK_IN_PREFIX
from bot.services.unit_of_work import StartLink, UnitOfWork
from bot.web.app import create_web_app
from bot.web.files import files_route
from bot.web.operations import Check, operations_routes
from bot.web.tickets import CheckInLink, TicketView, ticket_route
from bot.webchat import open_webchat
from handlers.menu import COMMANDS
from handlers.notices import NOTICES

log = logging.getLogger(__name__)

POLL_SILENCE: Final = dt.timedelta(minutes=2)
"""A polling channel whose last successful poll is older than this is not ready (a poll lasts under a minute)."""
OUTBOX_LATE: Final = dt.timedelta(minutes=5)
"""The bot is not ready while a message it started waits longer than this past its due time."""


class EmbeddedServer(uvicorn.Server):
    """uvicorn inside our event loop; shutdown signals are ours to handle, not uvicorn's."""

    def capture_signals(self) -> contextlib.AbstractContextManager[None]:  # type: ignore[override]
        return contextlib.nullcontext()


async def chat_in_console(app: App, *, user: str, lang: str | None, scheduled: bool = False) -> None:
    """The console channel on standard input and output; with ``scheduled`` (and a person at the terminal),
    messages the bot starts itself (offers, reminders) appear there too."""
    console = ConsoleChannel(
        app.dispatcher, user_id=user, language_hint=lang, stdin=sys.stdin, stdout=sys.stdout,
        downloads=Path("data/downloads"),
    )  # fmt: skip
    if not (scheduled and console.interactive):
        await console.start()
        return
    scheduler = schedule(app, {console.name: console})
    try:
        async with reloading(app):
            await console.start()
    finally:
        await scheduler.shutdown()


def schedule(app: App, channels: Mapping[str, Channel]) -> Scheduler:
    """Start the scheduler delivering the outbox through ``channels``, woken by every row queued here."""
    settings = app.settings
    delivery = Delivery(
        app.sessions, app.catalogs, lambda: app.content, NOTICES, channels, app.clock,
        lease=dt.timedelta(seconds=settings.outbox_lease_seconds),
    )  # fmt: skip
    housekeeping = Housekeeping(app.sessions, app.published, app.clock, settings.zone, retention=retention(settings))
    scheduler = Scheduler(delivery, housekeeping, app.clock, settings.zone,
                          digest_at=settings.digest_time, purge_at=settings.purge_time)  # fmt: skip
    app.sessions.configure(info={WAKE: scheduler.wake})
    scheduler.start()
    return scheduler


def retention(settings: Settings) -> Retention:
    """How long the settings keep personal data, sent messages and audit entries."""
    return Retention(settings.personal_data_kept, settings.sent_messages_kept, settings.audit_kept)


def sending_budget(app: App, channel: str) -> SendBudget:
    """The budget every message sent on ``channel`` draws on, its rate shared through the database."""
    rate = app.settings.broadcast_rate
    return SendBudget(SharedTimeline(app.sessions, channel, rate) if rate else None)


async def open_telegram(app: App) -> TelegramChannel:
    """Telegram: the token checked, the command menu set in every language."""
    settings = app.settings
    assert settings.telegram_token is not None
    bot = make_bot(settings.telegram_token.get_secret_value(), settings.telegram_api_url)
    await connect(bot, settings.telegram_api_url)
    webhook_url = None
    if settings.webhook_base_url:
        webhook_url = settings.webhook_base_url.rstrip("/") + TELEGRAM_WEBHOOK_PATH
    channel = TelegramChannel(bot, app.dispatcher, webhook_url=webhook_url,
                              webhook_secret=settings.webhook_secret.get_secret_value(),
                              budget=sending_budget(app, TelegramChannel.name),
                              polls=DatabasePollBook(app))  # fmt: skip
    await channel.set_commands(COMMANDS, app.catalogs)
    log.info("Telegram: @%s via %s", bot.username, "webhook" if webhook_url else "long polling")
    return channel


class DatabasePollBook:
    """The polls each channel sent, kept in the database (``bot.services.sent_polls``)."""

    def __init__(self, app: App) -> None:
        self._app = app

    async def remember(self, channel: str, poll_id: str, payloads: Sequence[str]) -> None:
        """Keep a poll's option payloads."""
        async with self._app.sessions() as session, session.begin():
            await SentPolls(session).remember(channel, poll_id, payloads, self._app.clock.now())

    async def recall(self, channel: str, poll_id: str) -> list[str] | None:
        """A poll's option payloads, if known."""
        async with self._app.sessions() as session:
            return await SentPolls(session).recall(channel, poll_id)


def repeats(app: App, channel: str) -> Callable[[str], Awaitable[bool]]:
    """Tells a message ``channel`` delivers again (Zalo has no update ids): True for an id seen before."""

    async def seen(message_id: str) -> bool:
        async with app.sessions() as session, session.begin():
            return not await ReceivedMessages(session).first_time(channel, message_id, app.clock.now())

    return seen


class MonthlyQuota:
    """A channel's monthly quota, counted in the database (``bot.services.quotas``)."""

    def __init__(self, app: App, channel: str) -> None:
        self._app, self._channel = app, channel

    async def spend(self, messages: int) -> None:
        """Count messages sent."""
        async with self._app.sessions() as session, session.begin():
            await UnitOfWork(session, self._app.services).quotas.spend(self._channel, messages)

    async def broadcasts_allowed(self) -> bool:
        """False once what is left is kept for replies and reminders."""
        async with self._app.sessions() as session:
            return await UnitOfWork(session, self._app.services).quotas.broadcasts_allowed(self._channel)


async def open_zalo(app: App) -> ZaloChannel:
    """Zalo: the token checked with getMe; a webhook under ``WEBHOOK_BASE_URL`` or long polling."""
    settings = app.settings
    assert settings.zalo_token is not None
    client = ZaloClient(settings.zalo_token.get_secret_value(), settings.zalo_api_url)
    try:
        account = await client.get_me()
    except ZaloError as exc:
        await client.close()
        raise StartupError(f"Zalo refused ZALO_TOKEN ({exc.description or exc.code}): check the bot's token.") from None
    except ZaloUnreachable:
        await client.close()
        raise StartupError(f"Cannot reach the Zalo Bot API at {settings.zalo_api_url}: check ZALO_API_URL.") from None
    webhook_url = settings.webhook_base_url.rstrip("/") + ZALO_WEBHOOK_PATH if settings.webhook_base_url else None
    channel = ZaloChannel(
        client, app.dispatcher, repeats(app, ZaloChannel.name), webhook_url=webhook_url,
        webhook_secret=settings.webhook_secret.get_secret_value(), budget=sending_budget(app, ZaloChannel.name),
        quota=MonthlyQuota(app, ZaloChannel.name) if settings.zalo_monthly_quota else None,
    )  # fmt: skip
    log.info("Zalo: %s via %s", account.get("display_name") or "the bot", "webhook" if webhook_url else "long polling")
    return channel


@dataclass(frozen=True)
class ChannelSpec:
    """A platform the bot can run on: its channel name, whether the settings configure it, how to open it."""

    name: str
    configured: Callable[[Settings], bool]
    open: Callable[[App], Awaitable[Channel]]


async def open_web_chat(app: App) -> Channel:
    """The web chat on the bot's own web server."""
    log.info("web chat: http://%s:%d/chat/", app.settings.host, app.settings.port)
    return open_webchat(app)


CHANNELS: Final[tuple[ChannelSpec, ...]] = (
    ChannelSpec(TelegramChannel.name, lambda settings: settings.telegram_token is not None, open_telegram),
    ChannelSpec(ZaloChannel.name, lambda settings: settings.zalo_token is not None, open_zalo),
    ChannelSpec(WEBCHAT, lambda settings: settings.webchat, open_web_chat),
)
"""Every platform the bot can run on."""


def configured_channels(settings: Settings) -> list[ChannelSpec]:
    """The platforms the settings configure."""
    return [spec for spec in CHANNELS if spec.configured(settings)]


async def open_channels(app: App) -> list[Channel]:
    """Every configured channel, opened (tokens checked); ``StartupError`` says what to fix. Those with links
    that open the bot are offered to web chat visitors (``/link``)."""
    channels = [await spec.open(app) for spec in configured_channels(app.settings)]
    for channel in channels:
        if channel.name != WEBCHAT and channel.start_link("x") is not None:
            app.services.start_links[channel.name] = StartLink(channel.title, channel.start_link)
    return channels


@contextlib.asynccontextmanager
async def reloading(app: App) -> AsyncIterator[ContentReloader]:
    """While the block runs, the content is reloaded when its folder changes and on SIGHUP."""
    reloader, loop = ContentReloader(app), asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGHUP, reloader.request)
    watching = asyncio.ensure_future(reloader.watch())
    try:
        yield reloader
    finally:
        loop.remove_signal_handler(signal.SIGHUP)
        watching.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watching


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        yield
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def serve(settings: Settings) -> None:
    """Run every configured channel until SIGINT or SIGTERM; with none configured, open the console instead."""
    # A thread beside the loop (the re-ranker loading in the background) would otherwise keep the loop
    # waiting up to the default 5 ms switch interval each time it holds the GIL.
    sys.setswitchinterval(0.0005)
    if settings.shared_secrets_missing:
        missing = " and ".join(settings.shared_secrets_missing)
        raise StartupError(f"With PostgreSQL, set {missing}: every worker must share the same value.")
    app = await build_app(settings, wait_for_database=True)
    try:
        channels = await open_channels(app)
        with registered(settings.data_dir):
            if not channels:
                await chat_in_console(app, user="console", lang=None, scheduled=True)
                return
            await _serve_channels(app, channels)
    finally:
        await app.close()


def public_routes(app: App, channels: Sequence[Channel]) -> list[BaseRoute]:
    """With a public address (``PUBLIC_URL`` or ``WEBHOOK_BASE_URL``): ticket pages staff open from any phone,
    and the signed file links of channels that cannot upload."""
    if app.services.web_url is None:
        return []

    async def look_up(code: str) -> TicketView | None:
        async with app.sessions() as session:
            registration = await UnitOfWork(session, app.services).registrations.check_ins.ticket(code)
            if registration is None:
                return None
            return TicketView(registration.offering_id, registration.seats, registration.checked_in_at)

    async def open_file(token: str) -> Attachment | None:
        async with app.sessions() as session:
            return await UnitOfWork(session, app.services).file_links.open(token)

    def check_in_links() -> list[CheckInLink]:
        links = ((channel.title, channel.start_link(CHECK_IN_PREFIX + "{code}")) for channel in channels)
        return [CheckInLink(title, url) for title, url in links if url is not None]

    return [
        ticket_route(look_up, lambda: app.content, app.catalogs, check_in_links),
        files_route(open_file, app.catalogs),
    ]


async def readiness(app: App, channels: Sequence[Channel]) -> list[Check]:
    """The database answers; each channel heard from its platform lately (a polling one within
    ``POLL_SILENCE``; a webhook one once registered); no outbox message waits more than ``OUTBOX_LATE``."""
    now, checks = app.clock.now(), []
    try:
        async with app.sessions() as session:
            oldest = await Outbox(session).oldest_due(now)
        checks.append(Check("database", True, "reachable"))
        late = (now - oldest).total_seconds() if oldest is not None else 0.0
        checks.append(
            Check("outbox", late <= OUTBOX_LATE.total_seconds(), f"the oldest due message waits {late:.0f} s")
        )
    except Exception as exc:
        checks.append(Check("database", False, f"unreachable ({type(exc).__name__})"))
    for channel in channels:
        reception = channel.reception()
        silence = time.time() - reception.last_heard if reception.last_heard is not None else None
        if silence is None:
            checks.append(Check(channel.name, False, f"{reception.mode}: not heard from the platform yet"))
        else:
            ok = reception.mode != "polling" or silence <= POLL_SILENCE.total_seconds()
            checks.append(Check(channel.name, ok, f"{reception.mode}: last heard {silence:.0f} s ago"))
    return checks


def operations(app: App, channels: Sequence[Channel]) -> list[BaseRoute]:
    """``/healthz``, ``/readyz`` and ``/metrics`` (``METRICS_TOKEN``) for these channels."""

    async def refresh_gauges() -> None:
        async with app.sessions() as session:
            OUTBOX_PENDING.set(await Outbox(session).pending())

    token = app.settings.metrics_token
    return operations_routes(lambda: readiness(app, channels), before_scrape=refresh_gauges,
                             metrics_token=token.get_secret_value() if token is not None else None)  # fmt: skip


async def _listen(server: uvicorn.Server, settings: Settings, *, required: bool) -> None:
    """Serve until told to exit. A port already taken ends the process when the server is ``required``
    (webhooks, ticket pages), and otherwise only leaves health and metrics out."""
    try:
        await server.serve()
    except SystemExit:  # uvicorn exits when it cannot listen
        if required:
            raise StartupError(f"cannot listen on {settings.host}:{settings.port}: set HOST and PORT") from None
        log.error("cannot listen on %s:%d; /healthz, /readyz and /metrics are not served", settings.host,
                  settings.port)  # fmt: skip


async def _serve_channels(app: App, channels: Sequence[Channel]) -> None:
    settings, stop = app.settings, asyncio.Event()
    scheduler = schedule(app, {channel.name: channel for channel in channels})
    needed = [route for channel in channels for route in channel.web_routes()] + public_routes(app, channels)
    web = create_web_app([*needed, *operations(app, channels)])
    config = uvicorn.Config(web, host=settings.host, port=settings.port, log_level="warning", lifespan="off",
                            log_config=None)  # fmt: skip
    server = EmbeddedServer(config)  # log_config None: uvicorn's records go through our handler, redacted
    tasks = [asyncio.ensure_future(channel.start()) for channel in channels]
    listening = asyncio.ensure_future(_listen(server, settings, required=bool(needed)))
    if needed:
        tasks.append(listening)  # without it the bot cannot work: its end ends the process
    async with reloading(app):
        with _stop_on_signals(stop):
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait([*tasks, stopping], return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
    log.info("shutting down")
    await scheduler.shutdown()
    for channel in channels:
        await channel.stop()
    server.should_exit = True
    await asyncio.gather(*tasks, listening)
    for channel in channels:
        await channel.close()
