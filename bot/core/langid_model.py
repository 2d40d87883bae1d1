"""py3langid's naive Bayes model for the seven languages, made small: its byte automaton as sorted suffix keys.

py3langid walks a text's UTF-8 bytes through a 104,583-state automaton (40 MB in memory) and counts, at each
byte, the feature of the state it is in. That state is the longest suffix of the bytes read so far that is a
state's label (labels are at most six bytes), so the same counts come from looking the text's suffixes up in
the labels, sorted: 1 MB of keys, 3 MB of weights for the seven languages. The model is derived from
py3langid's once, at the first start, and kept in the cache directory.
"""

from __future__ import annotations

import importlib.metadata
import logging
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.core.disk_cache import cache_key, read_arrays, store_arrays
from bot.core.languages import LANGUAGES, Language

log = logging.getLogger(__name__)

MAX_LABEL: Final = 6
"""Bytes in the longest state label of py3langid's automaton (checked when the model is derived)."""


def _keys(strings: npt.NDArray[np.uint64], lengths: int | npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    """Keys of byte strings given as big-endian integers of ``lengths`` bytes: the bytes left-aligned, then the
    length, so that strings of different lengths never share a key."""
    size = np.asarray(lengths, dtype=np.uint64)
    shifted: npt.NDArray[np.uint64] = strings << (np.uint64(8 * MAX_LABEL + 8) - np.uint64(8) * size)
    return shifted | size


@dataclass(frozen=True)
class LanguageModel:
    """Log-probabilities of byte n-gram features per language, and where each text position's feature is."""

    languages: tuple[Language, ...]
    keys: npt.NDArray[np.uint64]
    """One per automaton state, sorted: its label as ``_keys`` makes it."""
    features: npt.NDArray[np.int32]
    """The feature a state counts (a row of ``weights``), or -1."""
    weights: npt.NDArray[np.float32]
    priors: npt.NDArray[np.float32]

    def probabilities(self, text: str) -> npt.NDArray[np.float32]:
        """P(language | text) for each of ``languages``, as py3langid computes them with normalized
        probabilities (uniform when the text has no feature)."""
        if text.isupper():
            text = text.lower()
        data = unicodedata.normalize("NFC", text).encode("utf-8", errors="surrogatepass")
        counted = self._features(data)
        if counted.size == 0:
            return np.full(len(self.languages), 1 / len(self.languages), dtype=np.float32)
        rows, counts = np.unique(counted, return_counts=True)
        scores = np.log1p(counts.astype(np.float32)) @ self.weights[rows] + self.priors
        scores *= np.float32(1.0 / math.sqrt(len(data)))
        likelihoods: npt.NDArray[np.float32] = np.exp(scores - scores.max()).astype(np.float32)
        likelihoods /= likelihoods.sum()
        return likelihoods

    def _features(self, data: bytes) -> npt.NDArray[np.int32]:
        """The feature counted at each byte of ``data`` (none where the state has no feature)."""
        size = len(data)
        if size == 0:
            return np.zeros(0, dtype=np.int32)
        letters = np.frombuffer(data, dtype=np.uint8).astype(np.uint64)
        found = np.full(size, -1, dtype=np.int32)
        settled = np.zeros(size, dtype=bool)
        suffixes: list[npt.NDArray[np.uint64]] = [letters]
        while len(suffixes) < MAX_LABEL:  # the suffixes one byte longer, ending at each byte
            longer = np.zeros(size, dtype=np.uint64)
            longer[1:] = (suffixes[-1][:-1] << np.uint64(8)) | letters[1:]
            suffixes.append(longer)
        for length in range(MAX_LABEL, 0, -1):  # the longest label that is a suffix decides
            keys = _keys(suffixes[length - 1], length)
            where = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            hit = (self.keys[where] == keys) & ~settled
            hit[: length - 1] = False  # fewer than ``length`` bytes read there
            found[hit] = self.features[where[hit]]
            settled |= hit
        return found[found >= 0]


def load_language_model(cache_dir: Path | None) -> LanguageModel:
    """The model for the seven languages, read from ``cache_dir`` or derived from py3langid's (and stored there)."""
    if cache_dir is None:
        return derive_language_model()
    version = importlib.metadata.version("py3langid")
    path = cache_dir / f"langid-{cache_key('py3langid', [version, *LANGUAGES])}.npz"
    fields = ("languages", "keys", "features", "weights", "priors")
    stored = read_arrays(path)
    if stored is not None and stored.keys() == set(fields):
        languages = tuple(str(language) for language in stored["languages"].tolist())
        return LanguageModel(languages, *(stored[name] for name in fields[1:]))  # type: ignore[arg-type]
    model = derive_language_model()
    store_arrays(path, {"languages": np.array(model.languages), **{name: getattr(model, name) for name in fields[1:]}})
    return model


def derive_language_model() -> LanguageModel:
    """Label py3langid's automaton states by walking it breadth first from the start (a transition to a state
    not seen yet is a trie edge: it adds one byte), and keep the seven languages' columns (about a second)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, _load_model_file

    log.info("deriving the language model from py3langid's (once; cached)")
    ptc, pc, classes, nextmove, row, output = _load_model_file(MODEL_DIR / MODEL_FILE)
    kept = [classes.index(language) for language in LANGUAGES]
    table = np.frombuffer(nextmove, dtype=np.dtype(nextmove.typecode)).reshape(-1, 256)
    rows = np.frombuffer(row, dtype=np.dtype(row.typecode)).astype(np.int64)
    states = len(output)
    depth = np.full(states, -1, dtype=np.int64)
    label = np.zeros(states, dtype=np.uint64)
    depth[0] = 0
    frontier = np.array([0], dtype=np.int64)
    while frontier.size:
        targets = table[rows[frontier]].astype(np.int64)  # (frontier, 256)
        parent, letter = np.nonzero(depth[targets] == -1)
        target = targets[parent, letter]
        target, first = np.unique(target, return_index=True)
        parent, letter = parent[first], letter[first]
        depth[target] = depth[frontier[parent]] + 1
        label[target] = (label[frontier[parent]] << np.uint64(8)) | letter.astype(np.uint64)
        frontier = target
    if (depth < 0).any() or depth.max() > MAX_LABEL:
        raise ValueError("py3langid's automaton is not the byte trie of at most six-byte labels this expects")
    labelled = np.nonzero(depth > 0)[0]  # the start state has the empty label and no feature
    keys = _keys(label[labelled], depth[labelled])
    order = np.argsort(keys)
    features = np.asarray(output, dtype=np.int32)[labelled][order]
    return LanguageModel(
        tuple(LANGUAGES),
        keys[order],
        features,
        np.ascontiguousarray(np.asarray(ptc, dtype=np.float32)[:, kept]),
        np.asarray(pc, dtype=np.float32)[kept],
    )
