"""Questions the bot could not answer with confidence: logged for the digest, queued for staff, replied."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Question, QuestionStatus, User
from bot.services.outbox import Outbox

MAX_QUESTION: Final = 2000


class Questions:
    """The question log and the staff queue, on one session."""

    def __init__(self, session: AsyncSession, now: dt.datetime, faq_candidates: Path) -> None:
        self._session = session
        self._now = now
        self._faq_candidates = faq_candidates

    async def log(self, user: User, text: str, language: str, status: QuestionStatus, best_id: str | None,
                  score: float) -> Question:  # fmt: skip
        """Keep a question the bot did not answer, or answered without confidence."""
        question = Question(
            user_id=user.id, text=text[:MAX_QUESTION], language=language, status=status, best_id=best_id,
            score=score, created_at=self._now, faq_candidate=False,
        )  # fmt: skip
        self._session.add(question)
        await self._session.flush()
        return question

    async def get(self, question_id: int) -> Question | None:
        """A question by id."""
        return await self._session.get(Question, question_id)

    async def hand_to_staff(self, question_id: int, asker: User) -> Question | None:
        """Queue the asker's own unanswered question for a staff reply; None when it is not theirs."""
        question = await self.get(question_id)
        if question is None or question.user_id != asker.id:
            return None
        if question.status in (QuestionStatus.UNANSWERED, QuestionStatus.LOW_CONFIDENCE):
            question.status = QuestionStatus.QUEUED
        return question

    async def queued(self) -> list[Question]:
        """Questions waiting for a staff reply, oldest first."""
        result = await self._session.scalars(
            select(Question).where(Question.status == QuestionStatus.QUEUED).order_by(Question.id)
        )
        return list(result.all())

    async def reply(self, question: Question, staff: User, text: str) -> None:
        """Record a staff reply and queue it for the asker, quoting their question."""
        question.reply, question.replied_by, question.replied_at = text, staff.id, self._now
        question.status = QuestionStatus.ANSWERED
        asker = await self._session.get(User, question.user_id)
        if asker is not None:
            await Outbox(self._session).enqueue(
                asker, "staff_reply", {"question": question.text, "reply": text},
                due_at=self._now, dedup_key=f"staff_reply:{question.id}",
            )  # fmt: skip

    async def forget(self, user_id: int) -> list[str]:
        """Erase the texts of one user's questions and of the replies to them, here and in the FAQ candidates
        file; the rows stay, anonymous, for the counts. A queued one leaves the staff's queue. Returns the
        texts erased (the digest quotes some)."""
        questions = (await self._session.scalars(select(Question).where(Question.user_id == user_id))).all()
        texts = [question.text for question in questions]
        erased = {question.text for question in questions if question.faq_candidate}
        for question in questions:
            question.text, question.reply, question.faq_candidate = "", None, False
            if question.status == QuestionStatus.QUEUED:
                question.status = QuestionStatus.UNANSWERED
        if erased and self._faq_candidates.exists():
            kept = [entry for entry in yaml.safe_load(self._faq_candidates.read_text(encoding="utf-8")) or []
                    if entry.get("question") not in erased]  # fmt: skip
            text = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False) if kept else ""
            self._faq_candidates.write_text(text, encoding="utf-8")
        return texts

    def keep_as_faq_candidate(self, question: Question) -> bool:
        """Append an answered question and its reply to the file content editors turn into FAQ entries;
        False when it is not answered yet. Kept once however often staff ask."""
        if question.status != QuestionStatus.ANSWERED:
            return False
        if not question.faq_candidate:
            question.faq_candidate = True
            path = self._faq_candidates
            path.parent.mkdir(parents=True, exist_ok=True)
            entry = [{"question": question.text, "language": question.language, "reply": question.reply or "",
                      "asked": question.created_at.date().isoformat()}]  # fmt: skip
            with path.open("a", encoding="utf-8") as file:
                file.write(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False))
        return True
