"""The dispatcher: runs the middleware chain and the routed handler inside an error boundary."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from bot.core.dialog import Dialog
from bot.core.i18n import Catalogs, Locale, _, use_locale
from bot.core.languages import DEFAULT_LANGUAGE, parse_language
from bot.core.messages import Incoming, InvalidPayload, Reply
from bot.core.metrics import UPDATES
from bot.core.problems import UnknownContent
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


@dataclass
class Handled:
    """One message's log event: where it came from, which router took it, how it ended, how long it took."""

    channel: str
    user: str
    router: str = "-"
    """``-`` until routed: a middleware answered (a flood, a group, a duplicate) or it failed before."""
    outcome: str = "answered"
    """``answered``, ``refused`` (a router's guard), ``stale`` (a forged or outdated button) or ``failed``
    (the user got an apology)."""
    seconds: float = 0.0

    def fields(self) -> dict[str, str | float]:
        """The event's fields for a structured log line."""
        return {"channel": self.channel, "router": self.router, "user": self.user, "outcome": self.outcome,
                "latency_ms": round(self.seconds * 1000, 1)}  # fmt: skip

    def __str__(self) -> str:
        return " ".join(f"{name}={value}" for name, value in self.fields().items())


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
        """The replies to ``message``; an apology in the user's language if anything fails. Each message is
        one log event: channel, router, user id and latency, never what the person wrote."""
        scope, started, handled = self._new_scope(), time.perf_counter(), Handled(message.channel, message.user_id)
        failure: Exception | None = None
        try:
            replies = await self._step(0, message, scope, handled)
        except Exception as exc:
            failure, handled.outcome = exc, "failed"
            replies = [self._apology(message, scope)]
        handled.seconds = time.perf_counter() - started
        UPDATES.labels(handled.channel, handled.router).inc()
        level = logging.ERROR if failure else logging.INFO
        if log.isEnabledFor(level):  # at the default WARNING, a handled message builds no event at all
            log.log(level, "%s", handled, extra=handled.fields(), exc_info=failure)
        return replies

    async def _step(self, index: int, message: Incoming, scope: S, handled: Handled) -> list[Reply]:
        if index < len(self.middlewares):
            return await self.middlewares[index](
                message, scope, lambda passed: self._step(index + 1, passed, scope, handled)
            )
        return await self._route(message, scope, handled)

    async def _route(self, message: Incoming, scope: S, handled: Handled) -> list[Reply]:
        context = scope.context()
        dialog = context.dialog
        handler = self.routes.resolve(message, dialog.state)
        if handler is None:
            raise LookupError("no router has a fallback")
        owner = self.routes.owner(handler)
        handled.router = owner.name if owner is not None else "-"
        if owner is not None and owner.guard is not None:
            refusal = await owner.guard(message, context)
            if refusal is not None:
                handled.outcome = "refused"
                return refusal
        if dialog.active and (owner is None or not owner.owns_state(dialog.state)):
            dialog.pause()
        try:
            return await handler(message, context)
        except (InvalidPayload, UnknownContent):
            handled.outcome = "stale"
            return await self._on_stale_button(message, context)

    def _apology(self, message: Incoming, scope: S) -> Reply:
        locale = scope.locale or self.catalogs.locale(parse_language(message.language_hint) or DEFAULT_LANGUAGE)
        with use_locale(locale):
            return Reply(_("Sorry, something went wrong on our side. Please try again in a moment, or send /start."))
