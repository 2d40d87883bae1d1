"""Every service on one database session: the unit of work of one message or one scheduled job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.content import Content
from bot.core.content_version import ContentVersion
from bot.db.locks import hold
from bot.db.repositories import Dialogs
from bot.services.answers import Answerer
from bot.services.audit import Audit
from bot.services.broadcasts import Broadcasts
from bot.services.button_memory import ButtonMemory
from bot.services.file_links import FileLinks
from bot.services.linking import Links
from bot.services.people import People
from bot.services.personal_data import PersonalData
from bot.services.questions import Questions
from bot.services.quiz import Contests, QuizPlay, Standings, Statistics
from bot.services.quotas import Quotas
from bot.services.registration import Registrations, Rules
from bot.services.team import Team

TURN_WAIT: Final = dt.timedelta(seconds=15)
"""How long a message waits while another process handles one of the same person's, at most."""


@dataclass
class Published:
    """The content and the registration rules in use, and the version of the content folder they were read
    from; a reload replaces all three at once."""

    content: Content
    rules: Rules
    version: ContentVersion


@dataclass(frozen=True)
class StartLink:
    """An app a web chat visitor may continue on: its name, and its links that open the bot with a parameter."""

    title: str
    link: Callable[[str], str | None]


@dataclass(frozen=True)
class ServiceConfig:
    """What every unit of work shares, built once by the composition root."""

    published: Published
    clock: Clock
    zone: ZoneInfo
    answerer: Callable[[], Answerer | None]
    """The current answerer: the lexical one at first, the re-ranking one once it has loaded."""
    faq_candidates: Path
    web_url: str | None = None
    """The public base of the bot's web server (ticket pages, file links), when it has one."""
    quotas: Mapping[str, int] = field(default_factory=dict)
    """Messages a month each channel with a quota may send (``ZALO_MONTHLY_QUOTA``)."""
    start_links: dict[str, StartLink] = field(default_factory=dict)
    """The apps with links that open the bot (Telegram), by channel: filled once the channels are open."""

    @property
    def content(self) -> Content:
        """The content in use."""
        return self.published.content

    @property
    def rules(self) -> Rules:
        """The registration rules in use."""
        return self.published.rules


class UnitOfWork:
    """The services on ``session``; each is built when first asked for."""

    def __init__(self, session: AsyncSession, config: ServiceConfig) -> None:
        self.session = session
        self.config = config

    async def take_turn(self, channel: str, external_id: str) -> None:
        """Wait while another process handles a message of this person (``LockTimeout`` after
        ``TURN_WAIT``); the turn lasts until this unit of work ends, so one person's messages are handled
        one after the other whichever worker receives them."""
        await hold(self.session, f"person:{channel}:{external_id}", wait=TURN_WAIT)

    @cached_property
    def people(self) -> People:
        """Users: first contact, language, reachability."""
        return People(self.session)

    @cached_property
    def dialogs(self) -> Dialogs:
        """Dialog state per user."""
        return Dialogs(self.session)

    @cached_property
    def buttons(self) -> ButtonMemory:
        """The buttons last shown on platforms without buttons."""
        return ButtonMemory(self.session)

    @cached_property
    def registrations(self) -> Registrations:
        """Registrations, the waiting list, check-in and reminders."""
        c = self.config
        return Registrations(self.session, c.content, c.clock, c.zone, c.rules)

    @cached_property
    def questions(self) -> Questions:
        """The question log, the staff queue and the FAQ candidates."""
        return Questions(self.session, self.config.clock.now(), self.config.faq_candidates)

    @cached_property
    def audit(self) -> Audit:
        """The audit log of staff actions."""
        return Audit(self.session, self.config.clock)

    @cached_property
    def file_links(self) -> FileLinks:
        """Attachments under signed links, for channels that cannot upload."""
        c = self.config
        return FileLinks(self.session, c.rules.ticket_key, c.web_url, c.clock)

    @cached_property
    def quotas(self) -> Quotas:
        """What the channels with a monthly quota may still send."""
        c = self.config
        return Quotas(self.session, c.quotas, c.clock, c.zone)

    @cached_property
    def broadcasts(self) -> Broadcasts:
        """Announcements to an audience."""
        return Broadcasts(self.session, self.config.clock, self.audit)

    @cached_property
    def links(self) -> Links:
        """Web chat visitors' accounts on other apps."""
        return Links(self.session)

    @cached_property
    def team(self) -> Team:
        """Who is staff."""
        return Team(self.session, self.config.clock, self.audit)

    @cached_property
    def contests(self) -> Contests:
        """Which quiz contest is open; staff open and close them."""
        c = self.config
        return Contests(self.session, c.content.quiz, c.zone, self.audit)

    @cached_property
    def quiz(self) -> QuizPlay:
        """Quiz rounds and answers."""
        return QuizPlay(self.session, self.config.content.quiz)

    @cached_property
    def standings(self) -> Standings:
        """Quiz leaderboards."""
        return Standings(self.session)

    @cached_property
    def quiz_statistics(self) -> Statistics:
        """Quiz results per question and language."""
        return Statistics(self.session)

    @cached_property
    def personal_data(self) -> PersonalData:
        """A user's data: export and erasure."""
        return PersonalData(self.session, self.registrations, self.questions, self.audit, self.file_links)
