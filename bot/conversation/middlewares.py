"""The middleware chain run around every handler: unit of work, user, dialog state, locale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation.context import Context
from bot.conversation.flood import FloodControl
from bot.core.detection import LanguageDetector
from bot.core.dialog import Dialog
from bot.core.dispatcher import Middleware, Next
from bot.core.i18n import Catalogs, Locale, _, use_locale
from bot.core.languages import DEFAULT_LANGUAGE, Language, parse_language
from bot.core.messages import Button, Incoming, Reply
from bot.core.translation import noting_stand_ins, with_stand_in_note
from bot.services.file_links import FileLinks
from bot.services.records import User
from bot.services.unit_of_work import ServiceConfig, UnitOfWork


@dataclass
class Scope:
    """What the middlewares have assembled so far for one message."""

    services: UnitOfWork | None = None
    user: User | None = None
    locale: Locale | None = None
    dialog: Dialog | None = None
    first_contact: bool = False
    """The sender wrote to the bot for the first time."""

    def context(self) -> Context:
        """The handler's context, once every middleware has run."""
        if self.services is None or self.user is None or self.locale is None or self.dialog is None:
            raise RuntimeError("the middleware chain did not assemble a full context")
        return Context(user=self.user, dialog=self.dialog, locale=self.locale, services=self.services)


class UnitOfWorkMiddleware:
    """One database session and transaction per message: committed on success, rolled back on error; it
    begins with the sender's turn, so that their messages are handled in order across processes."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], config: ServiceConfig) -> None:
        self._sessions = sessions
        self._config = config

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        async with self._sessions() as session, session.begin():
            scope.services = UnitOfWork(session, self._config)
            await scope.services.take_turn(message.channel, message.user_id)
            return await call_next(message)


class UserMiddleware:
    """Loads the sender, creating them on first contact; ``ADMINS`` get the admin role."""

    def __init__(self, admins: frozenset[str]) -> None:
        self._admins = admins

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        assert scope.services is not None
        now = scope.services.config.clock.now()
        scope.user, scope.first_contact = await scope.services.people.arrive(
            message.channel,
            message.user_id,
            display_name=message.display_name,
            seen_language=parse_language(message.language_hint),
            now=now,
            admin=f"{message.channel}:{message.user_id}" in self._admins,
        )
        return await call_next(message)


class NumberedButtonsMiddleware:
    """On platforms without buttons, a typed number or exact label presses the button it names among those
    last shown to the user (stored, so it works after a restart and on any worker); the buttons of the
    replies become the ones to press next."""

    def __init__(self, channels_without_buttons: frozenset[str]) -> None:
        self._channels = channels_without_buttons

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        if message.channel not in self._channels:
            return await call_next(message)
        assert scope.services is not None
        assert scope.user is not None
        memory, user_id = scope.services.buttons, scope.user.id
        if message.payload is None and message.text and message.command is None:
            payload = await memory.press(user_id, message.text)
            if payload is not None:
                message = replace(message, text=None, payload=payload)
        replies = await call_next(message)
        await memory.remember(user_id, replies, scope.services.config.clock.now())
        return replies


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
        assert scope.services is not None
        user = scope.user
        detected = None if user.language else self._detect(message, scope)
        seen = parse_language(message.language_hint) or detected
        if seen is not None:
            scope.services.people.saw_language(user, seen)
        scope.locale = self._catalogs.locale(resolve_language(user, message, detected))
        with use_locale(scope.locale), noting_stand_ins() as stand_ins:
            replies = await call_next(message)
            return with_stand_in_note(replies, stand_ins, scope.locale)


class DialogMiddleware:
    """Loads the user's dialog state before the handler and stores it after, if it changed."""

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        assert scope.services is not None
        assert scope.user is not None
        dialogs = scope.services.dialogs
        state, data = dialogs.load(scope.user)
        scope.dialog = Dialog(state, data)
        replies = await call_next(message)
        if scope.dialog.changed:
            dialogs.save(scope.user, scope.dialog.state, scope.dialog.data, scope.services.config.clock.now())
        return replies


class LanguageOfferMiddleware:
    """On platforms that give no language hint, the first reply to a new user also offers the seven
    languages (``offer``, each in its own language), while answering in the language they wrote in."""

    def __init__(self, channels_without_hints: frozenset[str], offer: Callable[[Context], Reply]) -> None:
        self._channels = channels_without_hints
        self._offer = offer

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        replies = await call_next(message)
        if message.channel not in self._channels or not scope.first_contact or scope.user is None:
            return replies
        if scope.user.language is not None:
            return replies
        offer = self._offer(scope.context())
        return replies if offer in replies else [*replies, offer]


class FilesAsLinksMiddleware:
    """On platforms that cannot receive files, a reply's file goes out as a short-lived signed link from the
    bot's web server (a picture as the image itself, shown by its address); without a public address, a
    note says where the file can be had."""

    def __init__(self, channels_without_uploads: frozenset[str]) -> None:
        self._channels = channels_without_uploads

    async def __call__(self, message: Incoming, scope: Scope, call_next: Next) -> list[Reply]:
        replies = await call_next(message)
        if message.channel not in self._channels or not any(reply.attachment for reply in replies):
            return replies
        assert scope.services is not None
        recipient = scope.user.id if scope.user is not None else None
        return [await self._linked(reply, scope.services.file_links, recipient) for reply in replies]

    async def _linked(self, reply: Reply, links: FileLinks, recipient: int | None) -> Reply:
        attachment = reply.attachment
        if attachment is None:
            return reply
        if not links.available:
            note = _("The file {name} cannot be sent in this chat; in Telegram, the bot sends it directly.",
                     name=attachment.filename)  # fmt: skip
            return replace(reply, attachment=None, text=f"{reply.text}\n\n{note}")
        url = await links.publish(attachment, purpose="reply", recipient=recipient)
        if attachment.mime_type.startswith("image/"):
            return replace(reply, attachment=None, image_url=url)
        link = (Button(f"📎 {attachment.filename}", url=url),)
        return replace(reply, attachment=None, buttons=(*reply.buttons, link))


def middleware_chain(
    sessions: async_sessionmaker[AsyncSession],
    config: ServiceConfig,
    catalogs: Catalogs,
    detector: LanguageDetector | None,
    admins: frozenset[str],
    channels_without_buttons: frozenset[str],
    channels_without_uploads: frozenset[str] = frozenset(),
    language_offer: tuple[frozenset[str], Callable[[Context], Reply]] | None = None,
    flood_control: FloodControl | None = None,
) -> list[Middleware[Scope]]:
    """The chain in its order: flood control first, before anything costs; the unit of work; numbered buttons
    before the dialog state and the locale, which read whether the message is a press; files become links in
    the reader's language."""
    return [
        *([flood_control] if flood_control is not None else []),
        UnitOfWorkMiddleware(sessions, config),
        UserMiddleware(admins),
        NumberedButtonsMiddleware(channels_without_buttons),
        DialogMiddleware(),
        LocaleMiddleware(catalogs, detector),
        *([LanguageOfferMiddleware(*language_offer)] if language_offer else []),
        FilesAsLinksMiddleware(channels_without_uploads),
    ]
