"""Routing a message to its handler: by command, button prefix, dialog state or free text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.messages import Incoming, Reply

Handler = Callable[[Incoming, Any], Awaitable[list[Reply]]]
"""A handler takes the message and the application's per-message context (``bot.conversation.Context``)."""
TextFilter = Callable[[Incoming], bool]
Guard = Callable[[Incoming, Any], Awaitable[list[Reply] | None]]
"""Runs before every handler of its router: the replies refusing the person, or None to let them through."""


@dataclass(eq=False)
class Router:
    """The routes of one conversation area; handlers register with its decorators."""

    name: str
    guard: Guard | None = None
    """Who may use any of the router's routes (staff, administrators): a route added later cannot forget it."""
    commands: dict[str, Handler] = field(default_factory=dict)
    buttons: dict[str, Handler] = field(default_factory=dict)
    states: dict[str, Handler] = field(default_factory=dict)
    events: dict[str, Handler] = field(default_factory=dict)
    texts: list[tuple[TextFilter | None, Handler]] = field(default_factory=list)
    group: Handler | None = None
    default: Handler | None = None

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        """Route ``/name`` commands (case-insensitive) to the handler."""
        return self._registrar(self.commands, [name.lower() for name in names])

    def button(self, *prefixes: str) -> Callable[[Handler], Handler]:
        """Route button payloads ``prefix`` or ``prefix:…`` to the handler."""
        return self._registrar(self.buttons, prefixes)

    def state(self, *names: str) -> Callable[[Handler], Handler]:
        """Route text typed while the user's dialog is in state ``name`` to the handler."""
        return self._registrar(self.states, names)

    def event(self, *names: str) -> Callable[[Handler], Handler]:
        """Route platform events (``blocked``, ``unblocked``, ``location``) to the handler."""
        return self._registrar(self.events, names)

    def text(self, accepts: TextFilter | None = None) -> Callable[[Handler], Handler]:
        """Route free text (that ``accepts`` lets through, if given) to the handler."""

        def register(handler: Handler) -> Handler:
            self.texts.append((accepts, handler))
            return handler

        return register

    def group_chat(self, handler: Handler) -> Handler:
        """Route every message from a group chat to the handler, before any other route."""
        if self.group is not None:
            raise ValueError(f"router {self.name!r} already has a group-chat route")
        self.group = handler
        return handler

    def fallback(self, handler: Handler) -> Handler:
        """Route whatever no router claimed to the handler."""
        if self.default is not None:
            raise ValueError(f"router {self.name!r} already has a fallback")
        self.default = handler
        return handler

    def owns_state(self, state: str | None) -> bool:
        """True when ``state`` is one of this router's dialog states."""
        return state is not None and state in self.states

    def _registrar(self, table: dict[str, Handler], keys: Sequence[str]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for key in keys:
                if key in table:
                    raise ValueError(f"router {self.name!r} routes {key!r} twice")
                table[key] = handler
            return handler

        return register


class Routes:
    """Routers in priority order, resolved as one table."""

    def __init__(self, routers: Sequence[Router]) -> None:
        self.routers = tuple(routers)
        for table in ("commands", "buttons", "states", "events"):
            seen: dict[str, str] = {}
            for router in self.routers:
                for key in getattr(router, table):
                    if key in seen:
                        raise ValueError(f"{table[:-1]} {key!r} is routed by {seen[key]!r} and {router.name!r}")
                    seen[key] = router.name
        self._owners: dict[Handler, Router] = {}
        for router in self.routers:
            handlers = [*router.commands.values(), *router.buttons.values(), *router.states.values(),
                        *router.events.values(), *(handler for _, handler in router.texts)]  # fmt: skip
            handlers += [h for h in (router.group, router.default) if h is not None]
            for handler in handlers:
                self._owners.setdefault(handler, router)

    def owner(self, handler: Handler) -> Router | None:
        """The router ``handler`` is registered with."""
        return self._owners.get(handler)

    def resolve(self, message: Incoming, dialog_state: str | None) -> Handler | None:
        """The handler for ``message``: a group chat's, then a button by prefix, a command by name, an event
        by name, dialog text by state, then free text; otherwise the first fallback."""
        handler: Handler | None = None
        if not message.private:
            handler = next((r.group for r in self.routers if r.group is not None), None)
        elif message.payload is not None:
            handler = self._first("buttons", message.prefix)
        elif message.command is not None:
            handler = self._first("commands", message.command)
        elif message.event is not None:
            handler = self._first("events", message.event)
        else:
            if dialog_state is not None:
                handler = self._first("states", dialog_state)
            if handler is None and message.text:
                handler = self._first_text(message)
        if handler is None:
            handler = next((r.default for r in self.routers if r.default is not None), None)
        return handler

    def _first(self, table: str, key: str | None) -> Handler | None:
        for router in self.routers:
            handler: Handler | None = getattr(router, table).get(key)
            if handler is not None:
                return handler
        return None

    def _first_text(self, message: Incoming) -> Handler | None:
        for router in self.routers:
            for accepts, handler in router.texts:
                if accepts is None or accepts(message):
                    return handler
        return None
