"""The staff's morning digest: what happened since yesterday, for each staff member in their language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import OutboxMessage, Question, QuestionStatus, Registration, RegistrationStatus
from bot.services.outbox import Outbox
from bot.services.team import reachable_staff

DIGEST: Final = "digest"
EXAMPLES: Final = 3
EXAMPLE_LENGTH: Final = 120
USEFUL_FOR: Final = dt.timedelta(hours=6)


async def _counts(session: AsyncSession, column: Any, *where: Any) -> dict[str, int]:
    rows = await session.execute(select(column, func.count()).where(*where).group_by(column).order_by(column))
    return {str(key): int(count) for key, count in rows.all()}


async def digest_params(session: AsyncSession, since: dt.datetime) -> dict[str, Any]:
    """The figures of the digest: registrations since ``since`` and waiting lists per offering, places
    awaiting approval, and questions the bot could not answer well."""
    questions = await _counts(session, Question.status, Question.created_at >= since)
    queued = await session.scalar(select(func.count()).where(Question.status == QuestionStatus.QUEUED))
    examples = await session.scalars(
        select(Question.text)
        .where(Question.created_at >= since, Question.status.in_([QuestionStatus.QUEUED, QuestionStatus.UNANSWERED]))
        .order_by(Question.id.desc())
        .limit(EXAMPLES)
    )
    return {
        "since": since.isoformat(),
        "registrations": await _counts(session, Registration.offering_id, Registration.created_at >= since),
        "waiting": await _counts(session, Registration.offering_id, Registration.status == RegistrationStatus.WAITING),
        "approval": await session.scalar(select(func.count()).where(Registration.status == RegistrationStatus.PENDING)),
        "unanswered": questions.get(QuestionStatus.UNANSWERED, 0),
        "low": questions.get(QuestionStatus.LOW_CONFIDENCE, 0),
        "queued": int(queued or 0),
        "examples": [text[:EXAMPLE_LENGTH] for text in examples.all()],
    }


async def queue_digests(session: AsyncSession, now: dt.datetime) -> int:
    """Queue today's digest for every staff member who has not blocked the bot; returns how many."""
    staff = await reachable_staff(session)
    if not staff:
        return 0
    params = await digest_params(session, now - dt.timedelta(days=1))
    outbox = Outbox(session)
    for member in staff:
        await outbox.enqueue(member, DIGEST, params, due_at=now, dedup_key=f"{DIGEST}:{now.date()}:{member.id}",
                             expires_at=now + USEFUL_FOR)  # fmt: skip
    return len(staff)


async def forget_examples(session: AsyncSession, texts: Collection[str]) -> None:
    """Take these question texts out of the digests' examples, sent ones too (their asker was forgotten)."""
    quoted = {text[:EXAMPLE_LENGTH] for text in texts}
    digests = await session.scalars(select(OutboxMessage).where(OutboxMessage.template == DIGEST))
    for row in digests.all():
        examples = row.params.get("examples", [])
        if any(example in quoted for example in examples):
            row.params = {**row.params, "examples": [example for example in examples if example not in quoted]}
