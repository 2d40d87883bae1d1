"""The composition root: builds everything once from the settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass
from typing import Final

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.console import ConsoleChannel
from bot.channels.webchat.channel import NAME as WEBCHAT
from bot.channels.zalo.channel import ZaloChannel
from bot.config import Settings
from bot.conversation.flood import FloodControl
from bot.conversation.middlewares import Scope, middleware_chain
from bot.core.clock import Clock, SystemClock
from bot.core.content import Content, load_content
from bot.core.content_version import ContentVersion
from bot.core.detection import LanguageDetector
from bot.core.dispatcher import Dispatcher
from bot.core.i18n import Catalogs
from bot.core.memory import give_back_free_memory
from bot.core.router import Routes
from bot.core.startup import StartupError
from bot.core.translation import parse_fallback, set_fallback_order
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.engine import wait_for_database as reachable
from bot.db.migrate import upgrade_database
from bot.services.answers import Answerer
from bot.services.answers.e5.encoder import Encoder
from bot.services.content_updates import follow_content
from bot.services.registration import Rules
from bot.services.reminders import load_rules
from bot.services.unit_of_work import Published, ServiceConfig
from handlers import ROUTERS
from handlers.fallback import stale_button
from handlers.language import language_offer

log = logging.getLogger(__name__)

CHANNELS_WITHOUT_BUTTONS: Final = frozenset({ConsoleChannel.name, ZaloChannel.name})
CHANNELS_WITHOUT_UPLOADS: Final = frozenset({ZaloChannel.name, WEBCHAT})
"""Files go to these as signed links from the web server (the console saves them to disk)."""
CHANNELS_WITHOUT_LANGUAGE_HINTS: Final = frozenset({ZaloChannel.name})
"""A new user of these is offered the seven languages with the first reply."""
"""Channels whose users press buttons by typing their number (``bot.core.numbered``)."""


@dataclass
class Answering:
    """The answerer in use: lexical at first, swapped for the re-ranking one once it has loaded."""

    current: Answerer
    rebuilt: bool = True
    """Whether a content reload builds a new one (not when a test or a benchmark gave its own)."""

    def __call__(self) -> Answerer:
        return self.current


@dataclass
class App:
    """The running application's parts."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    services: ServiceConfig
    catalogs: Catalogs
    dispatcher: Dispatcher[Scope]
    answering: Answering
    detector: LanguageDetector

    @property
    def published(self) -> Published:
        """The content and rules in use, and their version."""
        return self.services.published

    @property
    def content(self) -> Content:
        """The published content."""
        return self.services.content

    @property
    def clock(self) -> Clock:
        """The application's clock."""
        return self.services.clock

    @property
    def rules(self) -> Rules:
        """The registration rules."""
        return self.services.rules

    def upgrade_answers_in_background(self, encoder: Encoder | None = None) -> None:
        """Load the semantic re-ranker (or use ``encoder``, the one already loaded) in a daemon thread and
        switch to it when ready; lexical answers serve meanwhile (the first start embeds the content, later
        starts read the vectors from the cache). A reload meanwhile makes this upgrade moot."""
        loop = asyncio.get_running_loop()
        content, cache_dir = self.content, self.settings.cache_dir

        lexical = self.answering.current

        def build() -> None:
            try:
                upgraded = lexical.with_reranker(content, cache_dir, encoder=encoder)
            except Exception:
                log.exception("the semantic re-ranker could not be loaded; answering lexically")
                return
            if upgraded is None:
                return
            swapped = threading.Event()

            def swap() -> None:
                if self.answering.current is lexical:  # not replaced by a reload's meanwhile
                    self.answering.current = upgraded
                swapped.set()

            with contextlib.suppress(RuntimeError):  # the bot stopped before the re-ranker was ready
                loop.call_soon_threadsafe(swap)
                if swapped.wait(timeout=60):
                    give_back_free_memory()  # what the builds allocated for a while (term lists, training) is garbage

        threading.Thread(target=build, name="answers-semantic", daemon=True).start()

    async def close(self) -> None:
        """Release the database connections."""
        await self.engine.dispose()


async def build_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    detector: LanguageDetector | None = None,
    answerer: Answerer | None = None,
    channels_without_buttons: frozenset[str] = CHANNELS_WITHOUT_BUTTONS,
    wait_for_database: bool = False,
) -> App:
    """Load content and catalogs, migrate the database and wire the dispatcher; with ``wait_for_database``
    a database that does not answer yet is waited for (``haufo-bot run``), else ``StartupError``."""
    try:
        set_fallback_order(parse_fallback(settings.content_fallback))
    except ValueError as exc:
        raise StartupError(f"CONTENT_FALLBACK: {exc}") from None
    version = ContentVersion.of(settings.content_dir)
    content = load_content(settings.content_dir)
    catalogs = Catalogs(settings.locales_dir, settings.zone)
    engine = create_engine(settings.database_url)
    try:
        await reachable(engine, retry=wait_for_database)
    except StartupError:
        await engine.dispose()
        raise
    await upgrade_database(engine)
    sessions = create_sessionmaker(engine)
    rules = Rules(
        offer_window=settings.offer_window, ticket_key=settings.ticket_key(), reminders=load_rules(settings.content_dir)
    )
    clock = clock or SystemClock()
    async with sessions() as session, session.begin():
        await follow_content(session, content, clock, settings.zone, rules)
    detector = detector if detector is not None else LanguageDetector(settings.cache_dir)  # one, shared
    answering = Answering(
        answerer or Answerer.build(content, semantic=False, cache_dir=settings.cache_dir, detector=detector),
        rebuilt=answerer is None,
    )
    services = ServiceConfig(
        published=Published(content, rules, version), clock=clock, zone=settings.zone, answerer=answering,
        faq_candidates=settings.data_dir / "faq-candidates.yaml",
        web_url=settings.web_url if settings.web_url is not None or not settings.webchat else "",  # "": relative
        # links, served by the web chat's own server
        quotas={ZaloChannel.name: settings.zalo_monthly_quota} if settings.zalo_monthly_quota else {},
    )  # fmt: skip
    dispatcher = Dispatcher(
        Routes(ROUTERS),
        middleware_chain(
            sessions,
            services,
            catalogs,
            detector,
            settings.admin_ids,
            channels_without_buttons,
            CHANNELS_WITHOUT_UPLOADS,
            (CHANNELS_WITHOUT_LANGUAGE_HINTS, language_offer),
            FloodControl(burst=settings.flood_burst, rate=settings.flood_rate) if settings.flood_burst else None,
        ),
        new_scope=Scope,
        catalogs=catalogs,
        on_stale_button=stale_button,
    )
    application = App(settings=settings, engine=engine, sessions=sessions, services=services, catalogs=catalogs,
                      dispatcher=dispatcher, answering=answering, detector=detector)  # fmt: skip
    if answerer is None and settings.semantic_answers:
        application.upgrade_answers_in_background()
    return application
