"""Playing a round: questions drawn from the contest's pool with the options in an order of the player's
own, one timed question at a time, one answer each, scored on the options' keys (the same in every
language). A person's first round in a contest is the one that counts; later rounds are for fun."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import InvalidPayload
from bot.core.problems import UnknownContent
from bot.core.quiz import Contest, Question, Quiz
from bot.db.models import QuizAnswer, QuizEntry, QuizOutcome, QuizRound, User
from bot.services.outbox import Outbox

GRACE: Final = dt.timedelta(seconds=2)
"""Time past a question's seconds still counted: the answer's way from the person's phone to the bot."""
TIME_UP: Final = "quiz_time_up"
"""The notice that a question's time ran out unanswered, with the right answer and the way on."""


@dataclass(frozen=True)
class Asked:
    """A question put to a player: its row, the question, its options' keys in the order this person sees
    them, where it stands in the round, and the seconds left to answer."""

    row: QuizAnswer
    question: Question
    keys: tuple[str, ...]
    size: int
    seconds_left: int

    @property
    def number(self) -> int:
        """The question's number in the round, from 1."""
        return self.row.position


@dataclass(frozen=True)
class Verdict:
    """How an answer was taken: its outcome, the question, and the round it belongs to (finished, when
    this answer was its last). ``first`` is False when the question already had its answer (then nothing
    changed: one attempt each)."""

    row: QuizAnswer
    question: Question
    round: QuizRound
    first: bool = True

    @property
    def outcome(self) -> QuizOutcome:
        """Right, wrong, or late (not counted)."""
        return QuizOutcome(self.row.outcome or QuizOutcome.TIMEOUT)


class QuizPlay:
    """Entries, rounds and answers, on one session."""

    def __init__(self, session: AsyncSession, quiz: Quiz, chance: random.Random | None = None) -> None:
        self._session = session
        self._quiz = quiz
        self._chance = chance or random.SystemRandom()

    async def entry(self, contest_id: str, user: User) -> QuizEntry | None:
        """``user``'s entry in the contest, if they have played it."""
        return await self._session.scalar(
            select(QuizEntry).where(QuizEntry.contest_id == contest_id, QuizEntry.user_id == user.id)
        )

    async def join(self, contest_id: str, user: User, *, show_name: bool, now: dt.datetime) -> QuizEntry:
        """Enter ``user`` in the contest (or change their choice): ``show_name`` lets their name appear on
        the leaderboard."""
        entry = await self.entry(contest_id, user)
        if entry is None:
            entry = QuizEntry(contest_id=contest_id, user_id=user.id, show_name=show_name, joined_at=now)
            self._session.add(entry)
            await self._session.flush()
        entry.show_name = show_name
        return entry

    async def unfinished(self, entry: QuizEntry) -> QuizRound | None:
        """The round ``entry`` has under way, if any."""
        return await self._session.scalar(
            select(QuizRound).where(QuizRound.entry_id == entry.id, QuizRound.finished_at.is_(None))
        )

    async def counted(self, entry: QuizEntry) -> QuizRound | None:
        """The round of ``entry`` that counts (its first), if it has one."""
        return await self._session.scalar(
            select(QuizRound).where(QuizRound.entry_id == entry.id, QuizRound.counted.is_(True))
        )

    async def start(self, entry: QuizEntry, now: dt.datetime) -> QuizRound:
        """A new round for ``entry``: the contest's round of questions drawn from its pool, each with its
        options in an order of this person's own. It counts when it is the entry's first."""
        contest = self._quiz.get(entry.contest_id)
        first = await self.counted(entry) is None
        chosen = self._chance.sample(sorted(contest.questions), contest.round)
        played = QuizRound(entry_id=entry.id, counted=first, started_at=now)
        self._session.add(played)
        await self._session.flush()
        for position, question_id in enumerate(chosen, start=1):
            keys = list(contest.questions[question_id].options)
            self._chance.shuffle(keys)
            self._session.add(QuizAnswer(round_id=played.id, position=position, question_id=question_id,
                                         shown="".join(keys)))  # fmt: skip
        await self._session.flush()
        return played

    async def next_question(self, played: QuizRound, user: User, language: str, now: dt.datetime) -> Asked | None:
        """The question to show: the one asked and still open, or else the next one, asked now (``user`` is
        told when its time runs out unanswered). A question whose time ran out unanswered ends as such
        first. None when the round is over (it is finished)."""
        entry = await self._entry_of(played)
        contest = self._quiz.get(entry.contest_id)
        rows = await self.rows(played)
        for row in rows:
            if row.asked_at is not None and row.outcome is None:
                if self._deadline(row, contest) >= now:
                    return self._asked(row, contest, len(rows), now)
                row.outcome = QuizOutcome.TIMEOUT
        waiting = next((row for row in rows if row.asked_at is None), None)
        if waiting is None:
            self._finish(played, rows, contest, now)
            return None
        waiting.asked_at, waiting.language = now, language
        params = {"round": played.id, "contest": entry.contest_id, "question": waiting.question_id,
                  "number": waiting.position, "size": len(rows)}  # fmt: skip
        key, subject, due = f"{TIME_UP}:{waiting.id}", f"quiz:{waiting.id}", self._deadline(waiting, contest)
        await Outbox(self._session).enqueue(user, TIME_UP, params, due_at=due, dedup_key=key, subject=subject)
        return self._asked(waiting, contest, len(rows), now)

    async def answer(self, user: User, row_id: int, key: str, now: dt.datetime) -> Verdict:
        """Take ``user``'s answer ``key`` to the question ``row_id``: right or wrong on time, late after
        it; a second answer changes nothing. ``InvalidPayload`` when the question is not ``user``'s or was
        never asked."""
        row = await self._session.get(QuizAnswer, row_id)
        owned = await self.round_of(user, row.round_id) if row is not None else None
        if row is None or owned is None or row.asked_at is None:
            raise InvalidPayload(f"no question {row_id} asked of this person")
        contest_id, played = owned
        contest = self._quiz.get(contest_id)
        question = self._question(contest, row.question_id)
        if key not in question.options:
            raise InvalidPayload(f"no option {key!r}")
        if row.outcome is not None:
            return Verdict(row, question, played, first=False)
        row.answered_at, row.chosen = now, key
        await Outbox(self._session).cancel(f"quiz:{row.id}", template=TIME_UP)
        if now > self._deadline(row, contest):
            row.outcome = QuizOutcome.LATE
        else:
            row.outcome = QuizOutcome.RIGHT if key in question.correct_keys else QuizOutcome.WRONG
        rows = await self.rows(played)
        if all(r.outcome is not None for r in rows):
            self._finish(played, rows, contest, now)
        return Verdict(row, question, played)

    async def round_of(self, user: User, round_id: int) -> tuple[str, QuizRound] | None:
        """The round ``round_id`` with its contest's id, when it is ``user``'s."""
        played = await self._session.get(QuizRound, round_id)
        entry = await self._entry_of(played) if played is not None else None
        if played is None or entry is None or entry.user_id != user.id:
            return None
        return entry.contest_id, played

    async def rows(self, played: QuizRound) -> list[QuizAnswer]:
        """The round's questions, in order."""
        result = await self._session.scalars(
            select(QuizAnswer).where(QuizAnswer.round_id == played.id).order_by(QuizAnswer.position)
        )
        return list(result.all())

    async def rounds_played(self, entry: QuizEntry) -> int:
        """How many rounds ``entry`` finished."""
        count = await self._session.scalar(
            select(func.count()).where(QuizRound.entry_id == entry.id, QuizRound.finished_at.is_not(None))
        )
        return int(count or 0)

    async def _entry_of(self, played: QuizRound) -> QuizEntry:
        entry = await self._session.get(QuizEntry, played.entry_id)
        assert entry is not None  # a round's entry is deleted with it
        return entry

    @staticmethod
    def _question(contest: Contest, question_id: str) -> Question:
        question = contest.questions.get(question_id)
        if question is None:
            raise UnknownContent(f"no question {question_id!r}")
        return question

    @staticmethod
    def _deadline(row: QuizAnswer, contest: Contest) -> dt.datetime:
        assert row.asked_at is not None
        return row.asked_at + dt.timedelta(seconds=contest.seconds) + GRACE

    def _asked(self, row: QuizAnswer, contest: Contest, size: int, now: dt.datetime) -> Asked:
        assert row.asked_at is not None
        left = contest.seconds - (now - row.asked_at).total_seconds()
        question = self._question(contest, row.question_id)
        keys = tuple(key for key in row.shown if key in question.options)
        return Asked(row, question, keys, size, max(int(left), 0))

    @staticmethod
    def _finish(played: QuizRound, rows: list[QuizAnswer], contest: Contest, now: dt.datetime) -> None:
        """The round's score (right answers) and time: each answer's seconds, a question's full time when it
        was not answered in it."""
        taken = 0.0
        for row in rows:
            if row.outcome in (QuizOutcome.RIGHT, QuizOutcome.WRONG) and row.asked_at and row.answered_at:
                taken += min((row.answered_at - row.asked_at).total_seconds(), contest.seconds)
            else:
                taken += contest.seconds
        played.score = sum(row.outcome == QuizOutcome.RIGHT for row in rows)
        played.seconds, played.finished_at = round(taken, 1), now
