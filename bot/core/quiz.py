"""The Thăng Long – Hà Nội quiz: contests and their questions, from ``content/quiz.yaml``.

Options have stable keys (``a``, ``b`` …), so an answer is scored the same in every language and in any
order the options are shown. Every text exists in the seven languages and fits Telegram's quiz polls in
each: a question up to 300 characters, an option up to 100, an explanation up to 200 with at most two line
breaks (Vietnamese, French and Russian run long: the check names the question and the language)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Final

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from bot.core.languages import LANGUAGES
from bot.core.problems import Problem, ProblemKind, UnknownContent, validation_problems, yaml_problem
from bot.core.yaml_text import read_yaml

FILE: Final = "quiz.yaml"
QUESTION_LIMIT: Final = 300
OPTION_LIMIT: Final = 100
EXPLANATION_LIMIT: Final = 200
EXPLANATION_LINES: Final = 2
OPTIONS: Final = (2, 12)
"""How many options a question may have: Telegram's quiz polls take 1 to 12; a quiz needs two."""

Key = Annotated[str, StringConstraints(pattern=r"^[a-z]$")]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=40)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(_Strict):
    """One text in every language (the quiz is played in all seven)."""

    vi: str
    en: str
    fr: str
    ru: str
    zh: str
    ja: str
    ko: str

    def __call__(self, lang: str) -> str:
        return str(getattr(self, lang))


class Question(_Strict):
    """A question: its options by key, the correct key(s), what it teaches, and the item it is about."""

    about: str = Field(description="the content item it is about (a site, a tour), for the 'see this place' card")
    text: Texts
    options: dict[Key, Texts]
    correct: Key | list[Key]
    explanation: Texts

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        low, high = OPTIONS
        if not low <= len(self.options) <= high:
            raise ValueError(f"a question needs {low} to {high} options")
        unknown = [key for key in self.correct_keys if key not in self.options]
        if unknown:
            raise ValueError(f"correct names no option: {', '.join(unknown)}")
        return self

    @property
    def correct_keys(self) -> tuple[str, ...]:
        """The keys of the right answers."""
        return (self.correct,) if isinstance(self.correct, str) else tuple(self.correct)


class Contest(_Strict):
    """A contest: its theme, when it is open, how long a round is and how long each question waits."""

    title: Texts
    theme: Texts
    opens: dt.date
    closes: dt.date
    round: int = Field(ge=1, le=50, description="questions in a round, drawn from the pool")
    seconds: int = Field(ge=5, le=600, description="time for each question")
    questions: dict[QuestionId, Question]

    @model_validator(mode="after")
    def _pool(self) -> Contest:
        if self.closes < self.opens:
            raise ValueError("closes before it opens")
        if len(self.questions) <= self.round:
            raise ValueError(
                f"the pool needs more than {self.round} questions (one round): it has {len(self.questions)}"
            )
        return self


class QuizFile(_Strict):
    """``quiz.yaml``: the contests by id."""

    contests: dict[QuestionId, Contest]


@dataclass(frozen=True)
class Quiz:
    """The contests, by id."""

    contests: Mapping[str, Contest] = field(default_factory=dict)

    def get(self, contest_id: str) -> Contest:
        """The contest with ``contest_id``, or ``UnknownContent``."""
        try:
            return self.contests[contest_id]
        except KeyError:
            raise UnknownContent(f"no quiz contest with id {contest_id!r}") from None


def _limits(file: str, contest_id: str, question_id: str, question: Question) -> list[Problem]:
    """Texts that do not fit a Telegram quiz poll, by key and language."""
    found = []
    where = f"contests.{contest_id}.questions.{question_id}"
    texts: list[tuple[str, Texts, int]] = [("text", question.text, QUESTION_LIMIT),
                                           ("explanation", question.explanation, EXPLANATION_LIMIT)]  # fmt: skip
    texts += [(f"options.{key}", option, OPTION_LIMIT) for key, option in question.options.items()]
    for name, text, limit in texts:
        for lang in LANGUAGES:
            value = text(lang)
            if not value.strip() and name != "explanation":
                found.append(Problem(file, f"{where}.{name}.{lang}", "empty", ProblemKind.MISSING_TEXT, lang))
            elif len(value) > limit:
                message = f"{len(value)} characters; Telegram allows {limit}"
                found.append(Problem(file, f"{where}.{name}.{lang}", message, ProblemKind.INVALID, message))
    for lang in LANGUAGES:
        if question.explanation(lang).count("\n") > EXPLANATION_LINES:
            message = f"more than {EXPLANATION_LINES} line breaks; Telegram allows {EXPLANATION_LINES}"
            found.append(Problem(file, f"{where}.explanation.{lang}", message, ProblemKind.INVALID, message))
    return found


def check_quiz(directory: Path, item_ids: Collection[str] | None) -> tuple[Quiz, list[Problem]]:
    """The quiz in ``directory`` (none when it has no ``quiz.yaml``) and every problem: the schema, the
    items questions are about (when ``item_ids`` is known), and Telegram's limits per language."""
    path = directory / FILE
    if not path.exists():
        return Quiz(), []
    try:
        raw: Any = read_yaml(path.read_text(encoding="utf-8")) or {}
        parsed = QuizFile.model_validate(raw)
    except yaml.YAMLError as exc:
        return Quiz(), [yaml_problem(FILE, exc)]
    except ValidationError as exc:
        return Quiz(), validation_problems(FILE, exc)
    problems: list[Problem] = []
    for contest_id, contest in parsed.contests.items():
        for question_id, question in contest.questions.items():
            problems += _limits(FILE, contest_id, question_id, question)
            if item_ids is not None and question.about not in item_ids:
                key = f"contests.{contest_id}.questions.{question_id}.about"
                problems.append(Problem(FILE, key, f"unknown content id {question.about!r}",
                                        ProblemKind.UNKNOWN_REFERENCE, question.about))  # fmt: skip
    return Quiz(parsed.contests), problems
