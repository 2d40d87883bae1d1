"""What the engine says about one question."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SURE: Final = 0.7
"""From this confidence on an answer is given as sure; below it (down to the answerer's threshold) it is
still given, but logged as answered with low confidence for the staff's morning digest."""


@dataclass(frozen=True)
class Answer:
    """The best item for a question (``id`` None when nothing fits), how sure, and what else may be meant.

    ``kind`` is faq, event, course, tour or site; ``score`` is in [0, 1]; ``lang`` is the question's language;
    ``field`` is "date", "place", "fee" or "bring" when the question asks for that field of the item;
    ``alternatives`` are (kind, id) pairs of up to three close runners-up ("did you mean").
    """

    id: str | None
    kind: str | None
    score: float
    lang: str
    field: str | None = None
    alternatives: tuple[tuple[str, str], ...] = ()

    @property
    def sure(self) -> bool:
        """True when an item was found with a confidence of at least ``SURE``."""
        return self.id is not None and self.score >= SURE
