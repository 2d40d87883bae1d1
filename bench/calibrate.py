"""Fit the answer engine's weights on the example questions, fold by fold, and measure the fit on folds it never saw.

python -m bench.calibrate [--folds 5] [--write] [--no-semantic]

The protocol (nothing here reads the development set, ``../shared/qa``, nor ``bench/questions/``):

1. The example questions of ``content/asked/<lang>.yaml`` are split into ``--folds`` folds: counting a
   language's questions item after item, the j-th goes to fold j mod k; likewise the out-of-scope ones.
2. For each fold, the engine is built with the other folds' examples only, and every question of the fold is
   measured against it: per entry the signals of ``Ranker.signals`` (sentence similarity, example similarity,
   lexical, name, kind), and what the confidence model reads.
3. The fusion weights are a conditional logit over the entries (softmax of the weighted signals, the asked
   item as the label), fitted by gradient descent. The confidence model is a logistic over the first answer's
   features; its label is "the content answers this question" (an in-scope question is better answered, with
   "did you mean", than handed off: a wrong first answer still shows the right one among the alternatives
   often). Out-of-scope questions weigh 15 % of the in-scope ones in that fit, about their share in what
   people ask. Its bias is then set so that 92 % of the out-of-scope questions fall below the threshold
   (80 % for the lexical engine: see ``ABSTAIN``).
4. Cross-validated figures: for each fold, both fits use the other folds' measurements only, and the fold is
   scored with them (top-1 and abstention at the engine's threshold). These are the held-out figures.
5. ``--write`` fits on every fold's measurements and writes ``bot/services/answers/ranking/weights.json``.

Then measure on sets the fit never saw: ``python -m bench.answers`` (the development set) and
``python -m bench.answers --questions bench/questions/held-out.yaml``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.config import PROJECT_ROOT
from bot.core.asked import Asked
from bot.core.content import Content, load_content
from bot.core.detection import LanguageDetector
from bot.core.languages import LANGUAGES, Language
from bot.services.answers import Answerer
from bot.services.answers.answerer import THRESHOLD
from bot.services.answers.e5.encoder import Encoder, Matrix, Vector, load_e5
from bot.services.answers.ranking.evidence import Evidence
from bot.services.answers.ranking.ranker import FEATURES, SIGNALS, WEIGHTS_FILE, Ranker, Weights

OUT_OF_SCOPE_SHARE = 0.15
ABSTAIN = {"hybrid": 0.92, "lexical": 0.80}
"""The share of out-of-scope questions the engine is set to hand to staff (the rest it answers, wrongly). The
lexical engine tells them apart less well: at 0.92 it would hand over about a quarter of the questions it can
answer; it serves only until the re-ranker has loaded."""
PRIMARY = {"hybrid": ("sentences", "examples", "examples_any", "classifier"), "lexical": ("lexical",)}
"""The signals whose weights sum to 1 after the fit (the scale the "did you mean" margins are set in)."""

Floats = npt.NDArray[np.float64]


class RememberingEncoder:
    """An encoder that embeds each text once, however many engines are built over it."""

    def __init__(self, encoder: Encoder) -> None:
        self._encoder = encoder
        self._seen: dict[tuple[bool, str], Vector] = {}

    @property
    def name(self) -> str:
        """The wrapped encoder's name."""
        return self._encoder.name

    def query(self, text: str) -> Vector:
        """The vector of a question."""
        vector: Vector = self._many([text], True)[0]
        return vector

    def passages(self, texts: Sequence[str]) -> Matrix:
        """The vectors of passages."""
        return self._many(texts, False)

    def queries(self, texts: Sequence[str]) -> Matrix:
        """The vectors of questions."""
        return self._many(texts, True)

    def _many(self, texts: Sequence[str], query: bool) -> Matrix:
        missing = list(dict.fromkeys(t for t in texts if (query, t) not in self._seen))
        if missing:
            embed = self._encoder.queries if query else self._encoder.passages
            for text, vector in zip(missing, embed(missing), strict=True):
                self._seen[query, text] = vector
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack([self._seen[query, t] for t in texts])


@dataclass(frozen=True)
class Case:
    """One example question measured by an engine built without its fold."""

    fold: int
    lang: Language
    label: int | None
    """The entry it asks for; None when nothing answers it."""
    evidence: Evidence
    signals: npt.NDArray[np.float32]


Held = list[tuple[str, Language, str | None]]


def folds(asked: Asked, k: int) -> list[tuple[Asked, Held]]:
    """For each fold: the examples left for the engine, and the fold's (question, language, item id or None)."""
    out = []
    for fold in range(k):
        kept: dict[str, dict[Language, tuple[str, ...]]] = {}
        held: Held = []
        seen: dict[Language, int] = {}
        for item_id, by_lang in asked.items.items():
            for lang, questions in by_lang.items():
                first = seen.get(lang, 0)
                seen[lang] = first + len(questions)
                kept.setdefault(item_id, {})[lang] = tuple(q for j, q in enumerate(questions, first) if j % k != fold)
                held.extend((q, lang, item_id) for j, q in enumerate(questions, first) if j % k == fold)
        outside: dict[Language, tuple[str, ...]] = {}
        for lang, questions in asked.out_of_scope.items():
            outside[lang] = tuple(q for j, q in enumerate(questions) if j % k != fold)
            held.extend((q, lang, None) for j, q in enumerate(questions) if j % k == fold)
        out.append((Asked(kept, outside), held))
    return out


def measure(content: Content, k: int, encoder: Encoder | None, detector: LanguageDetector) -> tuple[Ranker, list[Case]]:
    """Every example question, measured by an engine built on the other folds."""
    cases: list[Case] = []
    ranker: Ranker | None = None
    for fold, (kept, held) in enumerate(folds(content.asked, k)):
        started = time.perf_counter()
        engine = Answerer.build(
            dataclasses.replace(content, asked=kept),
            semantic=encoder is not None,
            detector=detector,
            encoder=encoder,
        )
        ranker = engine.ranker
        ids = [entry.id for entry in engine.entries]
        for question, lang, item_id in held:
            evidence = engine.evidence(question)
            label = ids.index(item_id) if item_id is not None else None
            cases.append(Case(fold, lang, label, evidence, ranker.signals(evidence)))
        print(f"fold {fold + 1}/{k}: {len(held)} questions, {time.perf_counter() - started:.1f} s", file=sys.stderr)
    assert ranker is not None
    return ranker, cases


def fit_fusion(cases: Sequence[Case], mode: str, steps: int = 3000) -> Floats:
    """Conditional-logit weights, one per signal, scaled so the primary signals' weights sum to 1."""
    answered = [c for c in cases if c.label is not None]
    signals = np.stack([c.signals for c in answered]).astype(np.float64)  # questions × entries × signals
    labels = np.array([c.label for c in answered])
    scale = signals.reshape(-1, signals.shape[-1]).std(axis=0) + 1e-9
    x = signals / scale
    w = np.zeros(x.shape[-1])
    w[[SIGNALS.index(name) for name in PRIMARY[mode]]] = 1.0
    moment, second = np.zeros_like(w), np.zeros_like(w)
    rows = np.arange(len(labels))
    for step in range(1, steps + 1):
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        expected = np.einsum("qe,qes->qs", p, x)
        gradient = (expected - x[rows, labels]).mean(axis=0) + 1e-3 * w
        moment = 0.9 * moment + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient**2
        w -= 0.05 * (moment / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
    w = w / scale
    primary = float(sum(w[SIGNALS.index(name)] for name in PRIMARY[mode]))
    fitted: Floats = w / primary if primary > 0 else w
    return fitted


def fit_confidence(features: Floats, answerable: npt.NDArray[np.bool_], weight: Floats) -> tuple[Floats, float]:
    """Weighted logistic regression (Newton's method, a little ridge): the weights and the bias."""
    scale = features.std(axis=0) + 1e-9
    x = np.column_stack([features / scale, np.ones(len(features))])
    y = answerable.astype(np.float64)
    beta = np.zeros(x.shape[1])
    ridge = 1e-2 * np.eye(x.shape[1])
    ridge[-1, -1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x @ beta, -50, 50)))
        hessian = (x * (weight * p * (1 - p))[:, None]).T @ x + ridge
        step = np.linalg.solve(hessian, x.T @ (weight * (y - p)) - ridge @ beta)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1] / scale, float(beta[-1])


def fit(ranker: Ranker, cases: Sequence[Case], mode: str) -> Weights:
    """Both fits on ``cases``."""
    fusion = fit_fusion(cases, mode)
    provisional = Weights(tuple(fusion), (0.0,) * len(FEATURES), 0.0)
    features, answerable = _features(ranker, cases, provisional)
    n_in = sum(c.label is not None for c in cases)
    n_out = len(cases) - n_in
    outside_weight = OUT_OF_SCOPE_SHARE * n_in / n_out if n_out else 1.0
    weight = np.array([1.0 if c.label is not None else outside_weight for c in cases])
    confidence, bias = fit_confidence(features, answerable, weight)
    outside = features[~answerable] @ confidence
    if len(outside):  # the threshold where the ABSTAIN share of the out-of-scope questions fall below it
        logit_at_threshold = math.log(THRESHOLD / (1 - THRESHOLD))
        bias = logit_at_threshold - float(np.quantile(outside, ABSTAIN[mode]))
    return Weights(tuple(float(v) for v in fusion), tuple(float(v) for v in confidence), bias)


def _features(ranker: Ranker, cases: Sequence[Case], weights: Weights) -> tuple[Floats, npt.NDArray[np.bool_]]:
    fusion = np.asarray(weights.fusion, dtype=np.float32)
    rows, answerable = [], []
    for case in cases:
        scores = case.signals @ fusion
        order = [int(i) for i in np.argsort(-scores, kind="stable")]
        rows.append(ranker.features(case.evidence, scores, order))
        answerable.append(case.label is not None)
    return np.array(rows, dtype=np.float64), np.array(answerable)


@dataclass
class Score:
    """Top-1 and abstention of some cases under some weights."""

    n_in: int = 0
    top1: int = 0
    first: int = 0
    """Ranked first, sure or not."""
    n_out: int = 0
    abstained: int = 0

    def add(self, ranker: Ranker, cases: Sequence[Case], weights: Weights) -> None:
        """Score ``cases`` as the engine would answer them with ``weights``."""
        features, _answerable = _features(ranker, cases, weights)
        fusion = np.asarray(weights.fusion, dtype=np.float32)
        confident = 1 / (1 + np.exp(-(features @ np.asarray(weights.confidence) + weights.bias))) >= THRESHOLD
        for case, sure in zip(cases, confident, strict=True):
            if case.label is None:
                self.n_out += 1
                self.abstained += not sure
            else:
                self.n_in += 1
                first = int(np.argmax(case.signals @ fusion)) == case.label
                self.first += first
                self.top1 += bool(sure) and first

    def line(self) -> str:
        """top-1 and abstention as shares."""
        return (
            f"top-1 {self.top1 / max(self.n_in, 1):.3f} ({self.top1}/{self.n_in}; ranked first {self.first}), "
            f"abstention {self.abstained / max(self.n_out, 1):.3f} ({self.abstained}/{self.n_out})"
        )


def main(argv: list[str] | None = None) -> int:
    """Measure fold by fold, report the cross-validated figures, optionally write the fitted weights."""
    parser = argparse.ArgumentParser(prog="python -m bench.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write the weights fitted on every fold")
    parser.add_argument("--no-semantic", action="store_true", help="fit the lexical-only engine")
    args = parser.parse_args(argv)
    mode = "lexical" if args.no_semantic else "hybrid"
    content = load_content(PROJECT_ROOT / "content")
    loaded = None if args.no_semantic else load_e5()
    encoder = RememberingEncoder(loaded) if loaded is not None else None
    if encoder is None and not args.no_semantic:
        print("the e5 re-ranker is not installed; use --no-semantic", file=sys.stderr)
        return 1
    ranker, cases = measure(content, args.folds, encoder, LanguageDetector())

    per_lang: dict[str, Score] = {lang: Score() for lang in LANGUAGES}
    total = Score()
    for fold in range(args.folds):
        weights = fit(ranker, [c for c in cases if c.fold != fold], mode)
        held = [c for c in cases if c.fold == fold]
        total.add(ranker, held, weights)
        for lang in LANGUAGES:
            per_lang[lang].add(ranker, [c for c in held if c.lang == lang], weights)
    print(f"{mode}, {args.folds} folds over {len(cases)} example questions, cross-validated:")
    for code, score in per_lang.items():
        print(f"  {code}: {score.line()}")
    print(f"  all: {total.line()}")

    final = fit(ranker, cases, mode)
    print("fitted on every fold:", json.dumps(_as_json(final)))
    if args.write:
        stored = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
        stored[mode] = _as_json(final) | {
            "fitted": f"python -m bench.calibrate --folds {args.folds} --write, {dt.date.today()}, "
            f"{len(cases)} example questions"
        }
        WEIGHTS_FILE.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written to {WEIGHTS_FILE.relative_to(PROJECT_ROOT)}")
    return 0


def _as_json(weights: Weights) -> dict[str, object]:
    return {
        "fusion": {name: round(value, 5) for name, value in zip(SIGNALS, weights.fusion, strict=True)},
        "confidence": {name: round(value, 5) for name, value in zip(FEATURES, weights.confidence, strict=True)},
        "bias": round(weights.bias, 5),
    }


if __name__ == "__main__":
    sys.exit(main())
