"""The middleware chain run around every handler: database session, user, locale, dialog state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import Clock
from bot.core.content import Content
from bot.core.context import Context
from bot.core.detection import LanguageDetector
from bot.core.dialog import Dialog
from bot.core.i18n import Catalogs, Locale, use_locale
from bot.core.languages import DEFAULT_LANGUAGE, Language, parse_language
from bot.core.messages import Incoming, Reply
from bot.db.models import User
from bot.db.repositories import Repository
from bot.services.answers import Answerer
from bot.services.registration import Rules

Next = Callable[[], Awaitable[list[Reply]]]


@dataclass
class Scope:
    """What the middlewares have assembled so far for one message."""

    content: Content
    clock: Clock
    rules: Rules
    answerer: Answerer | None
    faq_candidates: Path
    repo: Repository | None = None
    user: User | None = None
    locale: Locale | None = None
    dialog: Dialog | None = None

    def context(self) -> Context:
        """The handler's context, once every middleware has run."""
        if self.repo is None or self.user is None or self.locale is None or self.dialog is None:
            raise RuntimeError("the middleware chain did not assemble a full context")
        return Context(
            repo=self.repo,
            user=self.user,
            dialog=self.dialog,
            content=self.content,
            locale=self.locale,
            clock=self.clock,
            rules=self.rules,
            answerer=self.answerer,
            faq_candidates=self.faq_candidates,
        )


class Middleware(Protocol):
    """A step around the handler; it calls ``call_next`` to go on."""

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]: ...


class SessionMiddleware:
    """One database session and transaction per message: committed on success, rolled back on error."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        async with self._sessions() as session, session.begin():
            scope.repo = Repository(session)
            return await call_next()


class UserMiddleware:
    """Loads the sender, creating them on first contact; ``ADMINS`` get the admin role."""

    def __init__(self, admins: frozenset[str]) -> None:
        self._admins = admins

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        assert scope.repo is not None
        scope.user = await scope.repo.users.load_or_create(
            message.channel,
            message.user_id,
            display_name=message.display_name,
            seen_language=parse_language(message.language_hint),
            now=scope.clock.now(),
            admin=f"{message.channel}:{message.user_id}" in self._admins,
        )
        return await call_next()


def resolve_language(user: User, message: Incoming, detected: Language | None) -> Language:
    """The user's own choice, then the platform's hint, then the language they write in, then English."""
    return (
        parse_language(user.language)
        or parse_language(message.language_hint)
        or detected
        or parse_language(user.seen_language)
        or DEFAULT_LANGUAGE
    )


class LocaleMiddleware:
    """Chooses the language of the reply and makes it current for the handler."""

    def __init__(self, catalogs: Catalogs, detector: LanguageDetector | None) -> None:
        self._catalogs = catalogs
        self._detector = detector

    def _detect(self, message: Incoming, scope: Scope) -> Language | None:
        """The language of free text; not of answers to a form (names and places would mislead it)."""
        if self._detector is None or message.payload is not None or message.command is not None or not message.text:
            return None
        if scope.dialog is not None and scope.dialog.active:
            return None
        return self._detector.detect(message.text)

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        assert scope.user is not None
        user = scope.user
        detected = None if user.language else self._detect(message, scope)
        seen = parse_language(message.language_hint) or detected
        if seen is not None and seen != user.seen_language:
            user.seen_language = seen
        scope.locale = self._catalogs.locale(resolve_language(user, message, detected))
        with use_locale(scope.locale):
            return await call_next()


class DialogMiddleware:
    """Loads the user's dialog state before the handler and stores it after, if it changed."""

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        assert scope.repo is not None
        assert scope.user is not None
        state, data = scope.repo.dialogs.load(scope.user)
        scope.dialog = Dialog(state, data)
        replies = await call_next()
        if scope.dialog.changed:
            scope.repo.dialogs.save(scope.user, scope.dialog.state, scope.dialog.data, scope.clock.now())
        return replies
