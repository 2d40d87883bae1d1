"""The dispatcher: runs the middleware chain and the routed handler inside an error boundary."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, Protocol, TypeVar

from bot.core.content import UnknownContent
from bot.core.dialog import Dialog
from bot.core.i18n import Catalogs, Locale, _, use_locale
from bot.core.languages import DEFAULT_LANGUAGE, parse_language
from bot.core.messages import Incoming, InvalidPayload, Reply
from bot.core.router import Handler, Routes

log = logging.getLogger(__name__)


class Conversation(Protocol):
    """What the dispatcher needs of a handler's context: the dialog state it routes by."""

    @property
    def dialog(self) -> Dialog: ...


class Scope(Protocol):
    """What the middlewares assemble for one message; the dispatcher reads the locale for its apology."""

    @property
    def locale(self) -> Locale | None: ...

    def context(self) -> Conversation:
        """The handler's context, once every middleware has run."""
        ...


S = TypeVar("S", bound=Scope)
Next = Callable[[Incoming], Awaitable[list[Reply]]]
Middleware = Callable[[Incoming, S, Next], Awaitable[list[Reply]]]
"""A step around the handler; it calls ``call_next`` with the message (or one it stands for) to go on."""


class Dispatcher(Generic[S]):
    """Turns one ``Incoming`` into the replies to send; never raises, never stays silent."""

    def __init__(
        self,
        routes: Routes,
        middlewares: Sequence[Middleware[S]],
        *,
        new_scope: Callable[[], S],
        catalogs: Catalogs,
        on_stale_button: Handler,
    ) -> None:
        self.routes = routes
        self.middlewares = tuple(middlewares)
        self.catalogs = catalogs
        self._new_scope = new_scope
        self._on_stale_button = on_stale_button

    async def handle(self, message: Incoming) -> list[Reply]:
        """The replies to ``message``; an apology in the user's language if anything fails."""
        scope = self._new_scope()
        try:
            return await self._step(0, message, scope)
        except Exception:
            log.exception(
                "handling %s:%s failed: %r", message.channel, message.user_id, message.payload or message.text
            )
            return [self._apology(message, scope)]

    async def _step(self, index: int, message: Incoming, scope: S) -> list[Reply]:
        if index < len(self.middlewares):
            return await self.middlewares[index](message, scope, lambda passed: self._step(index + 1, passed, scope))
        return await self._route(message, scope)

    async def _route(self, message: Incoming, scope: S) -> list[Reply]:
        context = scope.context()
        dialog = context.dialog
        handler = self.routes.resolve(message, dialog.state)
        if handler is None:
            raise LookupError("no router has a fallback")
        owner = self.routes.owner(handler)
        if dialog.active and (owner is None or not owner.owns_state(dialog.state)):
            dialog.pause()
        try:
            return await handler(message, context)
        except (InvalidPayload, UnknownContent) as exc:
            log.info("stale or forged input from %s:%s: %s", message.channel, message.user_id, exc)
            return await self._on_stale_button(message, context)

    def _apology(self, message: Incoming, scope: S) -> Reply:
        locale = scope.locale or self.catalogs.locale(parse_language(message.language_hint) or DEFAULT_LANGUAGE)
        with use_locale(locale):
            return Reply(_("Sorry, something went wrong on our side. Please try again in a moment, or send /start."))
