"""Measure the answer engine on a question set: top-1, abstention and language per language, latency, build time.

python -m bench.answers [--no-semantic] [--questions FILE] [--show-misses]
python -m bench.answers --stdin [--no-semantic]   # one JSON answer a line, as shared/qa/score.py expects
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT
from bot.core.content import Localized, load_content
from bot.core.languages import LANGUAGES, parse_language
from bot.services.answers import Answer, Answerer
from bot.services.answers.ranking.entries import entries

DEFAULT_QUESTIONS = PROJECT_ROOT.parent / "shared" / "qa" / "dev-questions.yaml"


@dataclass
class Question:
    """One question of the set and what answers it (nothing, for an out-of-scope one)."""

    q: str
    lang: str
    accept: list[str]
    romanized: bool = False


@dataclass
class Tally:
    """Counts for one row of the report."""

    name: str
    n: int = 0
    n_in: int = 0
    top1: int = 0
    n_out: int = 0
    abstain: int = 0
    lang: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, question: Question, answer: Answer) -> None:
        """Count ``answer`` to ``question``."""
        self.n += 1
        self.lang += answer.lang == question.lang
        if question.accept:
            self.n_in += 1
            self.top1 += answer.id in question.accept
        else:
            self.n_out += 1
            self.abstain += answer.id is None

    def row(self) -> str:
        """One line of the table."""

        def ratio(num: int, den: int) -> str:
            return f"{num / den:.3f}" if den else "    -"

        overall = ratio(self.top1 + self.abstain, self.n)
        return (
            f"{self.name:<7}{self.n:>5}{self.n_in:>5}{ratio(self.top1, self.n_in):>8}{self.n_out:>5}"
            f"{ratio(self.abstain, self.n_out):>9}{ratio(self.lang, self.n):>8}{overall:>9}"
        )


def load_questions(path: Path) -> list[Question]:
    """The question set in the YAML format of shared/qa/dev-questions.yaml."""
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data["questions"]
    return [
        Question(str(item["q"]), str(item["lang"]).lower(), list(item["accept"]), bool(item.get("romanized")))
        for item in data
    ]


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def answer_lines(answerer: Answerer, content_titles: dict[str, Localized]) -> None:
    """Answer one question a line from standard input with one JSON object a line (the scorer's protocol)."""
    for line in sys.stdin:
        answer = answerer.answer(line.strip())
        lang = parse_language(answer.lang) or "en"
        title = content_titles[answer.id](lang) if answer.id is not None else ""
        record = {"id": answer.id, "kind": answer.kind, "score": answer.score, "lang": answer.lang, "answer": title}
        print(json.dumps(record, ensure_ascii=False), flush=True)


def main(argv: list[str] | None = None) -> int:
    """Build the engine, run every question, print the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.answers", description=__doc__.splitlines()[0])
    parser.add_argument("--no-semantic", action="store_true", help="lexical index only (no e5 re-ranker)")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help="YAML question set")
    parser.add_argument("--content", type=Path, default=PROJECT_ROOT / "content", help="content folder")
    parser.add_argument("--cache-dir", type=Path, default=Path("data/cache"), help="embedding cache folder")
    parser.add_argument("--show-misses", action="store_true", help="list every question answered wrongly")
    parser.add_argument("--stdin", action="store_true", help="answer questions from standard input as JSON lines")
    args = parser.parse_args(argv)

    content = load_content(args.content)
    started = time.perf_counter()
    answerer = Answerer.build(content, semantic=not args.no_semantic, cache_dir=args.cache_dir)
    build_seconds = time.perf_counter() - started
    if args.stdin:
        answer_lines(answerer, {entry.id: entry.title for entry in entries(content)})
        return 0

    questions = load_questions(args.questions)
    answerer.answer("warm-up question")
    rows: dict[str, Tally] = {lang: Tally(lang) for lang in LANGUAGES}
    romanized, total = Tally("vi-rom"), Tally("all")
    latencies: list[float] = []
    for question in questions:
        begun = time.perf_counter()
        answer = answerer.answer(question.q)
        latencies.append((time.perf_counter() - begun) * 1000)
        for tally in (rows.get(question.lang), total, romanized if question.romanized else None):
            if tally is not None:
                tally.add(question, answer)
        wrong = (answer.id not in question.accept) if question.accept else answer.id is not None
        if wrong or answer.lang != question.lang:
            want = ", ".join(question.accept) or "null"
            total.misses.append(
                f"  [{question.lang}] {question.q}\n      want {want}; got {answer.id} ({answer.kind}, "
                f"{answer.score:.2f}) lang {answer.lang} alternatives {[i for _, i in answer.alternatives]}"
            )

    mode = "lexical + e5 re-ranker" if answerer.semantic_enabled else "lexical only"
    print(f"{args.questions}: {len(questions)} questions, {mode}")
    if args.show_misses:
        print(f"misses ({len(total.misses)}):")
        print("\n".join(total.misses))
    print(f"{'lang':<7}{'n':>5}{'in':>5}{'top1':>8}{'out':>5}{'abstain':>9}{'lang':>8}{'overall':>9}")
    for tally in [*(t for t in rows.values() if t.n), *([romanized] if romanized.n else [])]:
        print(tally.row())
    print("-" * 56)
    print(total.row())
    print(
        f"latency per question: p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
        f"max {max(latencies):.1f} ms; index build {build_seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
