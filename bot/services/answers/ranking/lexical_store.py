"""The lexical index and the speller over its words, built once per content version and kept on disk.

Building them tokenizes every text and example question (about 0.7 s); reading them back takes a few
milliseconds, and leaves none of the building's garbage behind.
"""

from __future__ import annotations

import importlib.metadata
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

import numpy as np

from bot.core.disk_cache import cache_key, read_arrays, store_folder
from bot.core.languages import LANGUAGES
from bot.services.answers.ranking.entries import Entry
from bot.services.answers.ranking.lexical import LexicalIndex, entry_terms
from bot.services.answers.text.spelling import Speller

log = logging.getLogger(__name__)

_ANSWERS: Final = Path(__file__).resolve().parent.parent
_MADE_BY: Final = (
    *sorted((_ANSWERS / "text").glob("*.py")),
    _ANSWERS / "ranking" / "lexical.py",
    _ANSWERS / "ranking" / "entries.py",
)
"""The code that turns texts into terms: a change to any of it is a new index."""
_LIBRARIES: Final = ("bm25s", "PyStemmer")
_SPELLER: Final = "speller.npz"


def lexical_parts(items: Sequence[Entry], cache_dir: Path | None) -> tuple[LexicalIndex, Speller]:
    """The index of ``items`` and its speller, read from ``cache_dir`` when an earlier start stored them."""
    if cache_dir is None:
        return _build(items)
    folder = cache_dir / f"lexical-{cache_key('lexical', _fingerprint(items))}"
    stored = read_arrays(folder / _SPELLER)
    if stored is not None and stored.keys() == {"known", "variants", "owners"}:
        known = stored["known"].tobytes().decode().split("\n")
        try:
            return LexicalIndex.load(folder), Speller(known, stored["variants"], stored["owners"])
        except (OSError, ValueError, KeyError):
            pass
    index, speller = _build(items)

    def write(into: Path) -> None:
        index.save(into)
        known = np.frombuffer("\n".join(speller.known).encode(), dtype=np.uint8)
        np.savez(into / _SPELLER, known=known, variants=speller.variants, owners=speller.owners)

    store_folder(write, folder)
    return index, speller


def _build(items: Sequence[Entry]) -> tuple[LexicalIndex, Speller]:
    index = LexicalIndex.build([entry_terms(entry) for entry in items])
    return index, Speller.build(index.vocabulary)


def _fingerprint(items: Sequence[Entry]) -> Iterator[str]:
    """Everything the index is made of: the code and libraries that make terms, every text and example."""
    for source in _MADE_BY:
        yield source.read_text(encoding="utf-8")
    for library in _LIBRARIES:
        try:
            yield f"{library} {importlib.metadata.version(library)}"
        except importlib.metadata.PackageNotFoundError:
            yield f"{library} absent"
    for entry in items:
        yield f"{entry.kind} {entry.id}"
        for lang in LANGUAGES:
            for name, text in entry.texts(lang):
                yield f"{lang} {name} {text}"
            yield from entry.asked.get(lang, ())
