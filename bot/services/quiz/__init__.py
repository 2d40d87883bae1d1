"""The Thăng Long – Hà Nội quiz: which contest is open, playing rounds, the leaderboard, and the results
staff read per question and language."""

from __future__ import annotations

from bot.services.quiz.contests import Contests, ContestStatus
from bot.services.quiz.play import Asked, QuizPlay, Verdict
from bot.services.quiz.standings import Standing, Standings, standing_of
from bot.services.quiz.statistics import QuestionResult, Statistics

__all__ = ["Asked", "ContestStatus", "Contests", "QuestionResult", "QuizPlay", "Standing", "Standings", "Statistics",
           "Verdict", "standing_of"]  # fmt: skip
