"""Measure the answer engine: top-1, abstention and language per language on each question set, latency, build
time; and one ``haufo-bot run`` process: the time to its first answer and its resident memory.

python -m bench.answers [--no-semantic] [--questions FILE ...] [--show-misses] [--no-process]
python -m bench.answers --stdin [--no-semantic]   # one JSON answer a line, as shared/qa/score.py expects

The default sets are the development set (``../shared/qa/dev-questions.yaml``, when it is there) and the
held-out set (``bench/questions/held-out.yaml``), which the engine is never tuned on (see that file).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

from bot.config import PROJECT_ROOT
from bot.core.content import Localized, load_content
from bot.core.languages import LANGUAGES, parse_language
from bot.services.answers import Answer, Answerer
from bot.services.answers.ranking.entries import entries

DEVELOPMENT = PROJECT_ROOT.parent / "shared" / "qa" / "dev-questions.yaml"
HELD_OUT = PROJECT_ROOT / "bench" / "questions" / "held-out.yaml"
PROBES = ("Where is your office?", "Học phí lớp tiếng Việt bao nhiêu?", "古螺城怎么走？", "Quand part le bus ?")


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


def score_set(answerer: Answerer, path: Path, show_misses: bool) -> list[float]:
    """Answer every question of ``path`` and print its table; the latencies in ms."""
    questions = load_questions(path)
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
    print(f"\n{path}: {len(questions)} questions, {mode}")
    if show_misses:
        print(f"misses ({len(total.misses)}):")
        print("\n".join(total.misses))
    print(f"{'lang':<7}{'n':>5}{'in':>5}{'top1':>8}{'out':>5}{'abstain':>9}{'lang':>8}{'overall':>9}")
    for tally in [*(t for t in rows.values() if t.n), *([romanized] if romanized.n else [])]:
        print(tally.row())
    print("-" * 56)
    print(total.row())
    return latencies


def _status(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        return {key: value.strip() for key, value in (line.split(":", 1) for line in status)}


def measure_process(cache_dir: Path, semantic: bool) -> str:
    """Start ``haufo-bot run`` offline (console, SQLite, sample content), write a question at once: the time to
    its answer; once the re-ranker has loaded, four more questions: resident memory now, and at its peak."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **{key: value for key, value in os.environ.items() if key not in ("TELEGRAM_TOKEN", "ZALO_TOKEN")},
            "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/bot.db",
            "DATA_DIR": folder,
            "CACHE_DIR": str(cache_dir.resolve()),
            "SEMANTIC_ANSWERS": str(semantic).lower(),
            "LOG_LEVEL": "INFO",
        }
        started = time.perf_counter()
        bot = subprocess.Popen(
            [str(Path(sys.executable).with_name("haufo-bot")), "run"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
        )  # fmt: skip
        assert bot.stdin is not None
        assert bot.stdout is not None
        assert bot.stderr is not None
        try:
            _ask(bot.stdin, bot.stdout, PROBES[0])
            first = time.perf_counter() - started
            ready = None
            if semantic:
                ready = _wait_for(bot.stderr, "semantic re-ranking on", started)
            for probe in PROBES[1:]:
                _ask(bot.stdin, bot.stdout, probe)
            status = _status(bot.pid)
        finally:
            bot.kill()
            bot.wait()
    loaded = f"; the re-ranker ready after {ready:.1f} s" if ready is not None else ""
    return (
        f"haufo-bot run ({'with' if semantic else 'without'} the re-ranker): first answer {first:.2f} s after start"
        f"{loaded}; resident {status['VmRSS']} after {len(PROBES)} questions, peak {status['VmHWM']}"
    )


def _ask(to_bot: IO[str], from_bot: IO[str], question: str) -> None:
    """Type ``question`` into the console bot and wait for its answer."""
    to_bot.write(question + "\n")
    to_bot.flush()
    _wait_for(from_bot, "bot ›", 0.0)


def _wait_for(stream: IO[str], text: str, started: float) -> float:
    """Read ``stream`` until a line holds ``text``; the seconds since ``started`` then."""
    for line in stream:
        if text in line:
            return time.perf_counter() - started
    raise RuntimeError(f"the bot ended before {text!r}")


def main(argv: list[str] | None = None) -> int:
    """Build the engine, run every question set, print the reports; then measure one bot process."""
    parser = argparse.ArgumentParser(prog="python -m bench.answers", description=__doc__.splitlines()[0])
    parser.add_argument("--no-semantic", action="store_true", help="lexical index only (no e5 re-ranker)")
    parser.add_argument("--questions", type=Path, nargs="+", help="YAML question sets (default: development, held-out)")
    parser.add_argument("--content", type=Path, default=PROJECT_ROOT / "content", help="content folder")
    parser.add_argument("--cache-dir", type=Path, default=Path("data/cache"), help="embedding cache folder")
    parser.add_argument("--show-misses", action="store_true", help="list every question answered wrongly")
    parser.add_argument("--no-process", action="store_true", help="leave out the haufo-bot run measurement")
    parser.add_argument("--stdin", action="store_true", help="answer questions from standard input as JSON lines")
    args = parser.parse_args(argv)

    content = load_content(args.content)
    started = time.perf_counter()
    answerer = Answerer.build(content, semantic=not args.no_semantic, cache_dir=args.cache_dir)
    build_seconds = time.perf_counter() - started
    if args.stdin:
        answer_lines(answerer, {entry.id: entry.title for entry in entries(content)})
        return 0

    answerer.answer("warm-up question")
    latencies: list[float] = []
    for path in args.questions or [p for p in (DEVELOPMENT, HELD_OUT) if p.exists()]:
        latencies += score_set(answerer, path, args.show_misses)
    print(
        f"\nlatency per question: p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
        f"max {max(latencies):.1f} ms; index build {build_seconds:.2f} s"
    )
    if not args.no_process:
        print(measure_process(args.cache_dir, not args.no_semantic))
    return 0


if __name__ == "__main__":
    sys.exit(main())
