"""Words that name a kind of item in a question: "trip", "chuyến", "ツアー" for tours, "class", "班" for courses."""

from __future__ import annotations

import re
from typing import Final

from bot.core.languages import Language
from bot.services.answers.text.folding import fold, normalize

# Alphabetic words match whole (and folded, so "chuyen" reads as "chuyến"); CJK words match inside a run.
_WORDS: Final[dict[str, dict[Language, str]]] = {
    "tour": {
        "en": r"\btours?\b|\btrips?\b|\bexcursions?\b|\bouting\b|\bday out\b",
        "fr": r"\bsorties?\b|\bexcursions?\b|\bvoyages?\b|\btours?\b",
        "vi": r"\btour\b|\bchuyến\b|\bdu xuân\b|\bđi chơi\b",
        "ru": r"\bпоездк\w*|\bэкскурси\w*|\bтур\w{0,2}\b|\bвыезд\w*",
        "zh": r"春游|线路|路线|行程|旅游|之旅|一日游|那条线",
        "ja": r"ツアー|旅|日帰り",
        "ko": r"투어|봄나들이|나들이|여행",
    },
    "course": {
        "en": r"\bcourses?\b|\bclass(?:es)?\b|\blessons?\b|\blevel\b",
        "fr": r"\bcours\b|\bclasses?\b|\bniveau\b",
        "vi": r"\blớp\b|\bkhóa\b|\bkhoá\b",
        "ru": r"\bкурс\w*|\bзаняти\w*|\bуров\w*",
        "zh": r"班|课程|课",
        "ja": r"クラス|講座|授業|コース",
        "ko": r"반\b|반은|반에|반이|강좌|수업|과정",
    },
}
_COMPILED: Final = {
    kind: {lang: re.compile(pattern) for lang, pattern in patterns.items()} for kind, patterns in _WORDS.items()
}
_FOLDED: Final = {kind: re.compile(fold(patterns["vi"])) for kind, patterns in _WORDS.items()}


def kinds_named(question: str, lang: Language) -> frozenset[str]:
    """The kinds (tour, course) whose generic word the question uses."""
    text = normalize(question)
    found = {kind for kind, patterns in _COMPILED.items() if patterns[lang].search(text)}
    if lang == "vi":
        folded = fold(question)
        found |= {kind for kind, pattern in _FOLDED.items() if pattern.search(folded)}
    return frozenset(found)
