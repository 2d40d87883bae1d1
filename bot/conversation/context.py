"""What a handler is given besides the message."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.clock import Clock
from bot.core.content import Content
from bot.core.dialog import Dialog
from bot.core.i18n import Locale
from bot.services.answers import Answerer
from bot.services.audit import Audit
from bot.services.broadcasts import Broadcasts
from bot.services.linking import Links
from bot.services.people import People
from bot.services.personal_data import PersonalData
from bot.services.questions import Questions
from bot.services.quiz import Contests, QuizPlay, Standings, Statistics
from bot.services.quotas import Quotas
from bot.services.records import User
from bot.services.registration import Registrations
from bot.services.team import Team
from bot.services.unit_of_work import StartLink, UnitOfWork


@dataclass
class Context:
    """Per-message dependencies, assembled by the middlewares: who writes, in which language, in which
    dialog step, and the services that make every change on this message's unit of work."""

    user: User
    dialog: Dialog
    locale: Locale
    services: UnitOfWork

    @property
    def content(self) -> Content:
        """The published content."""
        return self.services.config.content

    @property
    def clock(self) -> Clock:
        """The time (a fake one in tests)."""
        return self.services.config.clock

    @property
    def answerer(self) -> Answerer | None:
        """Free-text answers, when loaded."""
        return self.services.config.answerer()

    @property
    def web_url(self) -> str | None:
        """The public base of the bot's web server, when it has one (ticket pages, file links)."""
        return self.services.config.web_url

    @property
    def links(self) -> Links:
        """Web chat visitors' accounts on other apps."""
        return self.services.links

    @property
    def signing_key(self) -> bytes:
        """The key that signs tickets, file links and the codes that link accounts."""
        return self.services.config.rules.ticket_key

    @property
    def start_links(self) -> dict[str, StartLink]:
        """The apps a web chat visitor may continue on, by channel."""
        return self.services.config.start_links

    @property
    def people(self) -> People:
        """Changes to the sender's own record."""
        return self.services.people

    @property
    def registrations(self) -> Registrations:
        """Registrations, the waiting list, check-in and reminders."""
        return self.services.registrations

    @property
    def questions(self) -> Questions:
        """The question log and the staff queue."""
        return self.services.questions

    @property
    def audit(self) -> Audit:
        """The audit log."""
        return self.services.audit

    @property
    def quotas(self) -> Quotas:
        """What the channels with a monthly quota may still send."""
        return self.services.quotas

    @property
    def broadcasts(self) -> Broadcasts:
        """Announcements staff send to an audience."""
        return self.services.broadcasts

    @property
    def team(self) -> Team:
        """Who is staff: administrators grant and revoke the role."""
        return self.services.team

    @property
    def personal_data(self) -> PersonalData:
        """The sender's data: export and erasure."""
        return self.services.personal_data

    @property
    def contests(self) -> Contests:
        """Which quiz contest is open; staff open and close them."""
        return self.services.contests

    @property
    def quiz(self) -> QuizPlay:
        """Quiz rounds and answers."""
        return self.services.quiz

    @property
    def standings(self) -> Standings:
        """Quiz leaderboards."""
        return self.services.standings

    @property
    def quiz_statistics(self) -> Statistics:
        """Quiz results per question and language."""
        return self.services.quiz_statistics
