"""Whether a contest is open: its dates in ``quiz.yaml``, unless staff opened or closed it by hand."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.quiz import Quiz
from bot.db.models import QuizContestState, User
from bot.services.audit import Audit


class ContestStatus(StrEnum):
    """Where a contest stands."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


class Contests:
    """The contests' states, on one session."""

    def __init__(self, session: AsyncSession, quiz: Quiz, zone: ZoneInfo, audit: Audit) -> None:
        self._session = session
        self._quiz = quiz
        self._zone = zone
        self._audit = audit

    async def status(self, contest_id: str, now: dt.datetime) -> ContestStatus:
        """Open or closed as staff set it, otherwise as its dates say (local days, both included)."""
        state = await self._session.get(QuizContestState, contest_id)
        if state is not None:
            return ContestStatus(state.status)
        contest = self._quiz.get(contest_id)
        today = now.astimezone(self._zone).date()
        if today < contest.opens:
            return ContestStatus.UPCOMING
        return ContestStatus.OPEN if today <= contest.closes else ContestStatus.CLOSED

    async def current(self, now: dt.datetime) -> str | None:
        """The contest to offer players: an open one (the latest to open), else the last one closed, else
        the next to open; None when there are no contests."""
        statuses = {contest_id: await self.status(contest_id, now) for contest_id in self._quiz.contests}
        by_opening = sorted(statuses, key=lambda contest_id: self._quiz.get(contest_id).opens)
        for wanted, pick in ((ContestStatus.OPEN, -1), (ContestStatus.CLOSED, -1), (ContestStatus.UPCOMING, 0)):
            matching = [contest_id for contest_id in by_opening if statuses[contest_id] == wanted]
            if matching:
                return matching[pick]
        return None

    async def set(self, contest_id: str, status: ContestStatus, by: User, now: dt.datetime) -> None:
        """Open or close a contest now, whatever its dates say."""
        self._quiz.get(contest_id)
        state = await self._session.get(QuizContestState, contest_id)
        if state is None:
            self._session.add(QuizContestState(contest_id=contest_id, status=status, changed_at=now, changed_by=by.id))
        else:
            state.status, state.changed_at, state.changed_by = status, now, by.id
        self._audit.record(by, f"quiz-{status}", f"quiz:{contest_id}")

    async def announcement(self, contest_id: str) -> int | None:
        """The broadcast that announced the contest's winners, if one did."""
        state = await self._session.get(QuizContestState, contest_id)
        return state.announced_by_broadcast if state is not None else None

    async def announced(self, contest_id: str, broadcast_id: int, now: dt.datetime) -> None:
        """Note the broadcast that announced the winners (the contest is closed by then)."""
        state = await self._session.get(QuizContestState, contest_id)
        if state is None:
            state = QuizContestState(contest_id=contest_id, status=ContestStatus.CLOSED, changed_at=now)
            self._session.add(state)
        state.announced_by_broadcast = broadcast_id
