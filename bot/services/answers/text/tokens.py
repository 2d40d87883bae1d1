"""Breaking text into index terms: exact and accent-folded words, word pairs, and CJK character n-grams."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from bot.services.answers.text.folding import fold_word, normalize
from bot.services.answers.text.scripts import Script, script_of

_WORD: Final = re.compile(r"\w+", re.UNICODE)
_PAIR_JOINER: Final = "_"


@dataclass(frozen=True)
class Word:
    """One word as written (normalised), folded, and the script it is in."""

    exact: str
    folded: str
    script: Script

    @property
    def is_alphabetic(self) -> bool:
        """Written in an alphabet with spaces between words (Latin or Cyrillic), or a number."""
        return self.script in (Script.LATIN, Script.CYRILLIC, Script.OTHER)


def _runs(chunk: str) -> Iterable[tuple[str, Script]]:
    """Split a ``\\w+`` match where the script changes (``HAUFO는`` → ``haufo``, ``는``); kana joins Han."""
    if chunk.isascii() and (chunk.isalpha() or chunk.isdigit()):  # most words: one run, told at once
        yield chunk, Script.LATIN if chunk.isalpha() else Script.OTHER
        return
    start = 0
    current: Script | None = None
    for index, char in enumerate(chunk):
        script = script_of(char)
        if script is Script.KANA:
            script = Script.HAN
        if script is Script.OTHER and current in (Script.LATIN, Script.CYRILLIC):
            script = current
        if current is not None and script is not current:
            yield chunk[start:index], current
            start = index
        current = script
    if current is not None:
        yield chunk[start:], current


def words(text: str) -> list[Word]:
    """The words of ``text`` in order; a run of Chinese, Japanese or Korean characters is one word."""
    out: list[Word] = []
    for match in _WORD.finditer(normalize(text)):
        for run, script in _runs(match.group()):
            if run.strip("_"):
                out.append(Word(run, fold_word(run), script))
    return out


def char_ngrams(run: str, *, unigrams: bool) -> list[str]:
    """Character bigrams of a CJK run, with single characters too when ``unigrams`` (or the run is one long)."""
    grams = [run[i : i + 2] for i in range(len(run) - 1)]
    if unigrams or len(run) == 1:
        grams.extend(ch for ch in run if script_of(ch) in (Script.HAN, Script.HANGUL) or len(run) == 1)
    return grams


def pair(first: str, second: str) -> str:
    """The term for two adjacent folded words."""
    return f"{first}{_PAIR_JOINER}{second}"


def terms(text: str, *, stopwords: frozenset[str] = frozenset(), stem: Callable[[str], str] | None = None) -> list[str]:
    """Index terms of ``text``.

    Alphabetic words give their exact and their folded form (``chùa`` and ``chua``) and, with ``stem``, their
    stem (``sorties`` → ``sort``); adjacent words a folded pair (``co_loa``); CJK runs give character bigrams
    and single Han/Hangul characters. Words in ``stopwords`` (folded) are left out, and so are pairs of two
    stopwords.
    """
    out: list[str] = []
    previous: str | None = None
    previous_stop = True
    for word in words(text):
        if not word.is_alphabetic:
            out.extend(char_ngrams(word.exact, unigrams=True))
            previous, previous_stop = None, True
            continue
        stop = word.folded in stopwords
        if not stop:
            out.append(word.exact)
            if word.folded != word.exact:
                out.append(word.folded)
            if stem is not None and (stemmed := stem(word.folded)) != word.folded:
                out.append(stemmed)
        if previous is not None and not (stop and previous_stop):
            out.append(pair(previous, word.folded))
        previous, previous_stop = word.folded, stop
    return out
