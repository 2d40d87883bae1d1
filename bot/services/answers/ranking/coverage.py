"""How much of what a question is about the content speaks of: out-of-scope questions bring words it lacks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.languages import Language
from bot.services.answers.ranking.lexical import LexicalIndex
from bot.services.answers.text.spelling import Speller
from bot.services.answers.text.stemming import stemmer
from bot.services.answers.text.stopwords import is_function_gram, is_function_word
from bot.services.answers.text.tokens import words


@dataclass(frozen=True)
class Concept:
    """One content word of a question (or a CJK character pair), as the forms the index may know it by."""

    forms: tuple[str, ...]


def concepts(question: str, lang: Language, index: LexicalIndex, speller: Speller) -> list[Concept]:
    """The question's content words: function words and numbers left out, typos mended."""
    stem = stemmer(lang)
    out: list[Concept] = []
    for word in words(question):
        if not word.is_alphabetic:
            out.extend(_characters(word.exact, lang))
            continue
        if is_function_word(word.exact, word.folded, lang) or word.exact.isdigit() or len(word.exact) < 2:
            continue
        forms = [word.exact, word.folded]
        if stem is not None:
            forms.append(stem(word.folded))
        if not any(f in index.vocabulary for f in forms):
            forms.extend(speller.corrections(word.folded))
        out.append(Concept(tuple(dict.fromkeys(forms))))
    return out


def _characters(run: str, lang: Language) -> list[Concept]:
    """A CJK run as one concept per character, known through the character pairs it is part of."""
    if len(run) == 1:
        return [] if is_function_gram(run, lang) else [Concept((run,))]
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    content = [not is_function_gram(p, lang) for p in pairs]
    out: list[Concept] = []
    for i in range(len(run)):
        forms = tuple(pairs[j] for j in (i - 1, i) if 0 <= j < len(pairs) and content[j])
        if forms and not is_function_gram(run[i], lang):
            out.append(Concept(forms))
    return out


def coverage(found: Sequence[Concept], index: LexicalIndex, entry: int | None = None) -> float:
    """Share of the question's concepts, weighted by rarity, known to the content (or to one entry of it).

    A concept the content never uses weighs as much as the rarest word, so one unknown subject
    ("pharmacy", "visa") outweighs the common words around it.
    """
    total = known = 0.0
    for concept in found:
        idfs = [index.idf(f) for f in concept.forms if f in index.vocabulary]
        weight = max(idfs, default=index.max_idf)
        total += weight
        if idfs and (entry is None or any(index.holds(entry, f) for f in concept.forms)):
            known += weight
    return known / total if total else 0.0
