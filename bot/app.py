"""The composition root: builds everything once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.clock import Clock, SystemClock
from bot.core.content import load_content
from bot.core.detection import LanguageDetector
from bot.core.dispatcher import Dispatcher
from bot.core.i18n import Catalogs
from bot.core.middlewares import DialogMiddleware, LocaleMiddleware, SessionMiddleware, UserMiddleware
from bot.core.router import Routes
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade_database
from bot.services.answers import Answerer
from bot.services.registration import Registrations, Rules
from bot.services.seats import Seats
from handlers import ROUTERS
from handlers.fallback import stale_button


@dataclass
class App:
    """The running application's parts."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    dispatcher: Dispatcher

    async def close(self) -> None:
        """Release the database connections."""
        await self.engine.dispose()


async def build_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    detector: LanguageDetector | None = None,
    answerer: Answerer | None = None,
) -> App:
    """Load content and catalogs, migrate the database and wire the dispatcher."""
    content = load_content(settings.content_dir)
    catalogs = Catalogs(settings.locales_dir, settings.zone)
    engine = create_engine(settings.database_url)
    await upgrade_database(engine)
    sessions = create_sessionmaker(engine)
    rules = Rules(offer_window=settings.offer_window)
    clock = clock or SystemClock()
    async with sessions() as session, session.begin():
        registrations = Registrations(session, content, clock, settings.zone, rules)
        for grown in await Seats(session).sync(content):  # capacity raised in the content: offer the new seats
            await registrations.offer_freed(grown)
    dispatcher = Dispatcher(
        Routes(ROUTERS),
        [
            SessionMiddleware(sessions),
            UserMiddleware(settings.admin_ids),
            DialogMiddleware(),
            LocaleMiddleware(catalogs, detector if detector is not None else LanguageDetector()),
        ],
        content=content,
        catalogs=catalogs,
        clock=clock,
        on_stale_button=stale_button,
        rules=rules,
        answerer=answerer or Answerer.build(content, semantic=settings.semantic_answers, cache_dir=settings.cache_dir),
        faq_candidates=settings.data_dir / "faq-candidates.yaml",
    )
    return App(settings=settings, engine=engine, sessions=sessions, dispatcher=dispatcher)
