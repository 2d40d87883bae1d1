"""The dispatcher: runs the middleware chain and the routed handler inside an error boundary."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from bot.core.clock import Clock
from bot.core.content import Content, UnknownContent
from bot.core.i18n import Catalogs, _, use_locale
from bot.core.languages import DEFAULT_LANGUAGE, parse_language
from bot.core.messages import Incoming, InvalidPayload, Reply
from bot.core.middlewares import Middleware, Scope
from bot.core.router import Handler, Routes
from bot.services.answers import Answerer
from bot.services.registration import Rules

log = logging.getLogger(__name__)


class Dispatcher:
    """Turns one ``Incoming`` into the replies to send; never raises, never stays silent."""

    def __init__(
        self,
        routes: Routes,
        middlewares: Sequence[Middleware],
        *,
        content: Content,
        catalogs: Catalogs,
        clock: Clock,
        on_stale_button: Handler,
        rules: Rules | None = None,
        answerer: Answerer | None = None,
        faq_candidates: Path = Path("data/faq-candidates.yaml"),
    ) -> None:
        self.routes = routes
        self.middlewares = tuple(middlewares)
        self.content = content
        self.catalogs = catalogs
        self.clock = clock
        self.rules = rules or Rules()
        self.answerer = answerer
        self.faq_candidates = faq_candidates
        self._on_stale_button = on_stale_button

    async def handle(self, message: Incoming) -> list[Reply]:
        """The replies to ``message``; an apology in the user's language if anything fails."""
        scope = Scope(content=self.content, clock=self.clock, rules=self.rules, answerer=self.answerer,
                      faq_candidates=self.faq_candidates)  # fmt: skip
        try:
            return await self._step(0, message, scope)
        except Exception:
            log.exception(
                "handling %s:%s failed: %r", message.channel, message.user_id, message.payload or message.text
            )
            return [self._apology(message, scope)]

    async def _step(self, index: int, message: Incoming, scope: Scope) -> list[Reply]:
        if index < len(self.middlewares):
            return await self.middlewares[index](message, scope, lambda: self._step(index + 1, message, scope))
        return await self._route(message, scope)

    async def _route(self, message: Incoming, scope: Scope) -> list[Reply]:
        context = scope.context()
        handler = self.routes.resolve(message, context.dialog.state)
        if handler is None:
            raise LookupError("no router has a fallback")
        owner = self.routes.owner(handler)
        if context.dialog.active and (owner is None or not owner.owns_state(context.dialog.state)):
            context.dialog.pause()
        try:
            return await handler(message, context)
        except (InvalidPayload, UnknownContent) as exc:
            log.info("stale or forged input from %s:%s: %s", message.channel, message.user_id, exc)
            return await self._on_stale_button(message, context)

    def _apology(self, message: Incoming, scope: Scope) -> Reply:
        locale = scope.locale or self.catalogs.locale(parse_language(message.language_hint) or DEFAULT_LANGUAGE)
        with use_locale(locale):
            return Reply(_("Sorry, something went wrong on our side. Please try again in a moment, or send /start."))
