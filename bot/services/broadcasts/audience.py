"""Who a broadcast reaches: ``everyone``, ``lang:xx``, ``course:ID``, ``tour:ID`` (optionally ``:confirmed``,
``:waiting`` or ``:pending``), ``event:ID``, ``subscribers`` or ``quiz:ID`` (who played a contest).
Announcements go only to people who have not left them; an urgent one about an offering also reaches its
registrants who did."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.content import Content
from bot.core.languages import LANGUAGES, parse_language
from bot.db.models import ACTIVE_STATUSES, OutboxMessage, OutboxStatus, QuizEntry, Registration, User
from bot.services.people import reading_language
from bot.services.reminders import EVENT_REMINDER

KINDS: Final = ("everyone", "lang", "course", "tour", "event", "subscribers", "quiz")
STATUSES: Final = ("confirmed", "waiting", "pending")


class AudienceError(ValueError):
    """An audience that names nothing; the message says what would."""


@dataclass(frozen=True)
class Audience:
    """A parsed audience: its kind, the language or content id it names, and a status of registrations."""

    kind: str
    value: str | None = None
    status: str | None = None

    def __str__(self) -> str:
        return ":".join(part for part in (self.kind, self.value, self.status) if part)


def parse_audience(text: str, content: Content) -> Audience:
    """The audience ``text`` names; ``AudienceError`` says what is wrong with it."""
    kind, _sep, rest = text.strip().partition(":")
    if kind not in KINDS:
        raise AudienceError(
            f"unknown audience {text!r}: use everyone, lang:xx, course:ID, tour:ID, event:ID, subscribers or quiz:ID"
        )
    if kind in ("everyone", "subscribers"):
        if rest:
            raise AudienceError(f"the audience {kind!r} takes nothing after it")
        return Audience(kind)
    value, _sep, status = rest.partition(":")
    if kind == "lang":
        if parse_language(value) != value or status:
            raise AudienceError(f"unknown language {value!r} in {text!r}: use lang: with {', '.join(LANGUAGES)}")
        return Audience(kind, value)
    if kind == "quiz":
        if value not in content.quiz.contests or status:
            raise AudienceError(f"no quiz contest has the id {value!r}")
        return Audience(kind, value)
    ids = {"course": content.courses.items, "tour": content.tours.items, "event": content.events.items}[kind]
    if value not in ids:
        raise AudienceError(f"no {kind} has the id {value!r}")
    if status and (kind == "event" or status not in STATUSES):
        raise AudienceError(f"unknown status {status!r} in {text!r}: a course or tour takes {', '.join(STATUSES)}")
    return Audience(kind, value, status or None)


def _reachable(channels: Collection[str] | None) -> ColumnElement[bool]:
    """Not blocked, not forgotten, and on one of ``channels`` (any channel when None)."""
    reachable = and_(User.blocked.is_(False), User.external_id.notlike("forgotten-%"))
    return reachable if channels is None else and_(reachable, User.channel.in_(list(channels)))


async def recipients(
    session: AsyncSession, audience: Audience, *, urgent: bool, channels: Collection[str] | None
) -> list[User]:
    """The people ``audience`` names who can be reached on ``channels`` (any when None), in the order they
    first wrote."""
    wants_announcements = User.announcements.is_(True)
    if audience.kind == "subscribers":
        where: ColumnElement[bool] = User.bulletin.is_(True)
    elif audience.kind in ("everyone", "lang"):
        where = wants_announcements
    elif audience.kind == "quiz":
        played = select(QuizEntry.user_id).where(QuizEntry.contest_id == audience.value)
        where = and_(User.id.in_(played), wants_announcements)
    elif audience.kind == "event":
        asked = select(OutboxMessage.user_id).where(
            OutboxMessage.subject == f"event:{audience.value}", OutboxMessage.template == EVENT_REMINDER,
            OutboxMessage.status != OutboxStatus.CANCELLED,
        )  # fmt: skip
        where = and_(User.id.in_(asked), wants_announcements)
    else:
        statuses = [audience.status] if audience.status else list(ACTIVE_STATUSES)
        registered = select(Registration.user_id).where(
            Registration.offering_id == audience.value, Registration.status.in_(statuses)
        )
        where = User.id.in_(registered) if urgent else and_(User.id.in_(registered), wants_announcements)
    result = await session.scalars(select(User).where(where, _reachable(channels)).order_by(User.id))
    people = list(result.all())
    if audience.kind == "lang":
        people = [p for p in people if reading_language(p.language, p.seen_language) == audience.value]
    return people
