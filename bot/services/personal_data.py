"""Personal data self-service: everything stored about a user, and erasing it."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ACTIVE_STATUSES,
    AuditEntry,
    Base,
    OutboxMessage,
    Question,
    QuizEntry,
    QuizRound,
    Registration,
    User,
)
from bot.services.audit import Audit
from bot.services.button_memory import ButtonMemory
from bot.services.digest import forget_examples
from bot.services.file_links import FileLinks
from bot.services.outbox import Outbox
from bot.services.questions import Questions
from bot.services.registration import Offer, Registrations
from bot.services.webchat import Transcripts


def _row(entity: Base) -> dict[str, Any]:
    """A row as JSON-ready values."""
    values = {}
    for column in inspect(type(entity)).columns:
        value = getattr(entity, column.key)
        values[column.key] = value.isoformat() if isinstance(value, dt.datetime) else value
    return values


class PersonalData:
    """What is stored about one user, on one session."""

    def __init__(
        self,
        session: AsyncSession,
        registrations: Registrations,
        questions: Questions,
        audit: Audit,
        file_links: FileLinks,
    ) -> None:
        self._session = session
        self._registrations = registrations
        self._questions = questions
        self._audit = audit
        self._file_links = file_links

    async def export(self, user: User) -> dict[str, Any]:
        """Every row about ``user``."""
        registrations = await self._session.scalars(select(Registration).where(Registration.user_id == user.id))
        messages = await self._session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user.id))
        actions = await self._session.scalars(select(AuditEntry).where(AuditEntry.actor_id == user.id))
        questions = await self._session.scalars(select(Question).where(Question.user_id == user.id))
        entries = (await self._session.scalars(select(QuizEntry).where(QuizEntry.user_id == user.id))).all()
        rounds = await self._session.scalars(
            select(QuizRound).where(QuizRound.entry_id.in_([entry.id for entry in entries]))
        )
        return {
            "user": _row(user),
            "dialog": _row(user.dialog_state) if user.dialog_state is not None else None,
            "registrations": [_row(r) for r in registrations.all()],
            "messages_to_you": [_row(m) for m in messages.all()],
            "staff_actions": [_row(a) for a in actions.all()],
            "questions": [_row(q) for q in questions.all()],
            "quiz_entries": [_row(e) for e in entries],
            "quiz_rounds": [_row(r) for r in rounds.all()],
        }

    async def forget(self, user: User, now: dt.datetime) -> list[Offer]:
        """Cancel active registrations (freeing their seats), erase names, contacts and answers, and make the
        user anonymous; counts of registrations stay. Returns the offers the freed seats made."""
        offers: list[Offer] = []
        registrations = (await self._session.scalars(select(Registration).where(Registration.user_id == user.id))).all()
        for registration in registrations:
            if registration.status in ACTIVE_STATUSES:
                offers += await self._registrations.cancel(registration)
            registration.details, registration.ticket_code, registration.erased_at = {}, None, now
        question_ids = (await self._session.scalars(select(Question.id).where(Question.user_id == user.id))).all()
        await self._audit.forget([f"user:{user.id}", *(f"registration:{r.id}" for r in registrations),
                                  *(f"question:{q}" for q in question_ids)])  # fmt: skip
        await Outbox(self._session).forget(user.id)
        await ButtonMemory(self._session).forget(user.id)
        await forget_examples(self._session, await self._questions.forget(user.id))
        await self._file_links.forget(user.id)
        await Transcripts(self._session).clear(user.id)
        # the quiz results stay, anonymous: a participant number
        await self._session.execute(update(QuizEntry).where(QuizEntry.user_id == user.id).values(show_name=False))
        user.dialog_state = None
        user.external_id = f"forgotten-{secrets.token_hex(8)}"
        user.display_name = user.language = user.seen_language = None
        user.announcements = user.bulletin = False  # nothing is broadcast to a forgotten person
        return offers
