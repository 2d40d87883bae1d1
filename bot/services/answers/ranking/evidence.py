"""Everything the engine measures about one question before it decides."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.core.languages import Language
from bot.services.answers.ranking.coverage import Concept
from bot.services.answers.ranking.semantic import Examples, Similarities


@dataclass(frozen=True)
class Evidence:
    """Per-entry scores from each signal, in entry order, and the question's content words."""

    lang: Language
    lexical: npt.NDArray[np.float32]
    mentions: npt.NDArray[np.float32]
    semantic: Similarities | None
    concepts: tuple[Concept, ...]
    kinds: frozenset[str] = frozenset()
    """Kinds of item the question names by their generic word ("trip", "class")."""
    examples: Examples | None = None
    """How close the question is to the example questions (with the re-ranker, when the content has them)."""
