"""The records services hand out: handlers read them and change them only through a service's operation."""

from __future__ import annotations

from bot.db.models import (
    ACTIVE_STATUSES,
    HOLDING_STATUSES,
    Broadcast,
    Question,
    QuestionStatus,
    QuizOutcome,
    QuizRound,
    Registration,
    RegistrationStatus,
    Role,
    User,
)

__all__ = [
    "ACTIVE_STATUSES",
    "HOLDING_STATUSES",
    "Broadcast",
    "Question",
    "QuestionStatus",
    "QuizOutcome",
    "QuizRound",
    "Registration",
    "RegistrationStatus",
    "Role",
    "User",
]
