"""The results staff read: per question, how often it was answered right in each language. A question
answered far worse in one language than in all the others together is flagged: probably mistranslated."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import QuizAnswer, QuizEntry, QuizOutcome, QuizRound

MIN_ANSWERS: Final = 5
"""Answers a language, and the other languages together, need before the two are compared."""
FLAG_GAP: Final = 0.4
"""How much lower (in share of right answers) a language must be than the rest to be flagged."""


@dataclass
class Tally:
    """Answers given in time, and how many were right."""

    answered: int = 0
    right: int = 0

    @property
    def share(self) -> float:
        """The share answered right (0 with no answers)."""
        return self.right / self.answered if self.answered else 0.0

    def add(self, other: Tally) -> Tally:
        """The two tallies together."""
        return Tally(self.answered + other.answered, self.right + other.right)


@dataclass
class QuestionResult:
    """One question's answers, overall and by the language it was asked in, and the languages flagged."""

    question_id: str
    total: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    @property
    def flagged(self) -> list[str]:
        """Languages whose share of right answers is ``FLAG_GAP`` or more below the other languages'."""
        found = []
        for language, tally in self.by_language.items():
            others = Tally()
            for other_language, other in self.by_language.items():
                if other_language != language:
                    others = others.add(other)
            enough = tally.answered >= MIN_ANSWERS and others.answered >= MIN_ANSWERS
            if enough and others.share - tally.share >= FLAG_GAP:
                found.append(language)
        return sorted(found)


class Statistics:
    """Per-question results, on one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def results(self, contest_id: str) -> list[QuestionResult]:
        """Every question answered in time in the contest (counted rounds and replays alike), flagged ones
        first, then by question id."""
        rows = await self._session.execute(
            select(QuizAnswer.question_id, QuizAnswer.language, QuizAnswer.outcome)
            .join(QuizRound, QuizRound.id == QuizAnswer.round_id)
            .join(QuizEntry, QuizEntry.id == QuizRound.entry_id)
            .where(QuizEntry.contest_id == contest_id,
                   QuizAnswer.outcome.in_([QuizOutcome.RIGHT, QuizOutcome.WRONG]))
        )  # fmt: skip
        results: dict[str, QuestionResult] = {}
        for question_id, language, outcome in rows.all():
            result = results.setdefault(question_id, QuestionResult(question_id))
            right = int(outcome == QuizOutcome.RIGHT)
            for tally in (result.total, result.by_language[language or "?"]):
                tally.answered += 1
                tally.right += right
        return sorted(results.values(), key=lambda result: (not result.flagged, result.question_id))
