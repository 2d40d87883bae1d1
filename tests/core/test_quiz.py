"""The quiz's content: stable option keys, every text in seven languages, Telegram's limits per language,
named by file, question and language when broken; content check refuses it."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from bot.core.languages import LANGUAGES
from bot.core.quiz import FILE, check_quiz


def texts(word: str) -> dict[str, str]:
    return {lang: f"{word} ({lang})" for lang in LANGUAGES}


def question(about: str = "co-loa", correct: str = "b") -> dict[str, Any]:
    return {"about": about, "text": texts("Which?"), "options": {"a": texts("One"), "b": texts("Two"),
            "c": texts("Three")}, "correct": correct, "explanation": texts("Because.")}  # fmt: skip


def quiz(**questions: dict[str, Any]) -> dict[str, Any]:
    return {"contests": {"thang-long-2027": {
        "title": texts("Contest"), "theme": texts("Theme"), "opens": "2027-01-01", "closes": "2027-03-31",
        "round": 2, "seconds": 30, "questions": questions or {f"q-{n}": question() for n in range(3)},
    }}}  # fmt: skip


def write(folder: Path, content: dict[str, Any]) -> Path:
    (folder / FILE).write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return folder


def test_a_well_formed_quiz_has_no_problem(tmp_path: Path) -> None:
    found, problems = check_quiz(write(tmp_path, quiz()), {"co-loa"})
    assert problems == []
    [contest] = found.contests.values()
    assert contest.questions["q-0"].correct_keys == ("b",)
    assert contest.questions["q-0"].options["b"].ru == "Two (ru)"


def test_texts_beyond_telegrams_limits_are_named_by_question_and_language(tmp_path: Path) -> None:
    broken = quiz()
    questions = broken["contests"]["thang-long-2027"]["questions"]
    questions["q-1"]["text"]["ru"] = "Я" * 301
    questions["q-1"]["options"]["c"]["fr"] = "é" * 101
    questions["q-2"]["explanation"]["vi"] = "Một.\nHai.\nBa.\nBốn."
    _, problems = check_quiz(write(tmp_path, broken), {"co-loa"})
    assert [str(problem) for problem in problems] == [
        "quiz.yaml: contests.thang-long-2027.questions.q-1.text.ru: 301 characters; Telegram allows 300",
        "quiz.yaml: contests.thang-long-2027.questions.q-1.options.c.fr: 101 characters; Telegram allows 100",
        "quiz.yaml: contests.thang-long-2027.questions.q-2.explanation.vi: more than 2 line breaks; Telegram allows 2",
    ]


def test_keys_languages_references_and_the_pool_are_checked(tmp_path: Path) -> None:
    missing = quiz()
    del missing["contests"]["thang-long-2027"]["questions"]["q-0"]["options"]["a"]["ko"]
    _, problems = check_quiz(write(tmp_path, missing), {"co-loa"})
    assert [(p.key, p.message) for p in problems] == [
        ("contests.thang-long-2027.questions.q-0.options.a.ko", "missing the ko text")
    ]
    _, problems = check_quiz(write(tmp_path, quiz(one=question(correct="z"), two=question(), three=question())), None)
    assert [p.message for p in problems] == ["Value error, correct names no option: z"]
    _, problems = check_quiz(write(tmp_path, quiz(one=question(about="atlantis"), two=question(), three=question())),
                             {"co-loa"})  # fmt: skip
    assert [p.message for p in problems] == ["unknown content id 'atlantis'"]
    small = quiz(one=question(), two=question())
    _, problems = check_quiz(write(tmp_path, small), None)
    assert [p.message for p in problems] == ["Value error, the pool needs more than 2 questions (one round): it has 2"]


def test_content_check_refuses_a_quiz_that_does_not_fit(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    subprocess.run(["cp", "-r", str(Path(__file__).parents[2] / "content"), str(folder)], check=True)
    broken = copy.deepcopy(quiz())
    broken["contests"]["thang-long-2027"]["questions"]["q-1"]["text"]["fr"] = "x" * 400
    write(folder, broken)
    result = subprocess.run([sys.executable, "-m", "bot", "content", "check", "--dir", str(folder)],
                            capture_output=True, text=True, env={**os.environ}, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 1
    assert f"{folder}/quiz.yaml: contests.thang-long-2027.questions.q-1.text.fr: 400 characters" in result.stdout


def test_the_sample_contest_has_thirty_questions_about_the_sites_and_fits_telegram() -> None:
    content = Path(__file__).parents[2] / "content"
    sites = set(yaml.safe_load((content / "sites.yaml").read_text(encoding="utf-8")))
    found, problems = check_quiz(content, sites)
    assert problems == []
    [contest] = found.contests.values()
    assert len(contest.questions) >= 30 > contest.round
    assert {question.about for question in contest.questions.values()} == sites, "every site is asked about"
    keys = [question.correct_keys[0] for question in contest.questions.values()]
    assert max(keys.count(key) for key in set(keys)) < len(keys) / 2, "the right answer is not always one letter"
