"""The leaderboard of a contest: each person's counted round, by score, ties broken by the time taken;
names only of those who agreed to appear."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import QuizEntry, QuizRound, User


@dataclass(frozen=True)
class Standing:
    """One line of the leaderboard: the rank (shared by equal score and time), the participant's number,
    their name when they agreed to show it, the score and the seconds taken."""

    rank: int
    number: int
    name: str | None
    score: int
    seconds: float
    user_id: int


class Standings:
    """Leaderboards, on one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def leaderboard(self, contest_id: str) -> list[Standing]:
        """Every finished counted round of the contest, best first."""
        rows = await self._session.execute(
            select(QuizEntry, QuizRound, User.display_name)
            .join(QuizRound, QuizRound.entry_id == QuizEntry.id)
            .join(User, User.id == QuizEntry.user_id)
            .where(QuizEntry.contest_id == contest_id, QuizRound.counted.is_(True), QuizRound.finished_at.is_not(None))
            .order_by(QuizRound.score.desc(), QuizRound.seconds, QuizRound.finished_at, QuizEntry.id)
        )
        standings: list[Standing] = []
        for entry, played, display_name in rows.all():
            previous = standings[-1] if standings else None
            tied = previous is not None and (previous.score, previous.seconds) == (played.score, played.seconds)
            rank = previous.rank if tied and previous is not None else len(standings) + 1
            name = display_name if entry.show_name and display_name else None
            standings.append(Standing(rank, entry.id, name, played.score, played.seconds, entry.user_id))
        return standings


def standing_of(standings: list[Standing], user_id: int) -> Standing | None:
    """``user_id``'s line of a leaderboard, if they are on it."""
    return next((standing for standing in standings if standing.user_id == user_id), None)
