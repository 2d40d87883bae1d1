"""A question's index terms: as typed, folded when typed without diacritics, stemmed, typos mended."""

from __future__ import annotations

from collections.abc import Collection

from bot.core.languages import Language
from bot.services.answers.text.spelling import Speller
from bot.services.answers.text.stemming import stemmer
from bot.services.answers.text.stopwords import is_function_gram, is_function_word
from bot.services.answers.text.tokens import char_ngrams, pair, words


class QueryAnalyzer:
    """Terms of a question that the index can match.

    A Vietnamese word typed with diacritics is matched as typed (``có`` must not find ``Cổ Loa``); typed
    without, it matches every accented form. A word the index does not know is replaced by the known words
    one typing mistake away.
    """

    def __init__(self, vocabulary: Collection[str], speller: Speller) -> None:
        self._vocabulary = vocabulary
        self.speller = speller

    def terms(self, question: str, lang: Language) -> list[str]:
        """The terms of ``question``, written in ``lang``."""
        stem = stemmer(lang)
        out: list[str] = []
        previous: str | None = None
        previous_stop = True
        for word in words(question):
            if not word.is_alphabetic:
                grams = char_ngrams(word.exact, unigrams=True)
                out.extend(g for g in grams if not is_function_gram(g, lang))
                previous, previous_stop = None, True
                continue
            stop = is_function_word(word.exact, word.folded, lang)
            if previous is not None and not (stop and previous_stop):
                out.append(pair(previous, word.folded))
            previous, previous_stop = word.folded, stop
            if stop:
                continue
            forms = [word.exact]
            if word.folded != word.exact and lang != "vi":
                forms.append(word.folded)
            if stem is not None and (stemmed := stem(word.folded)) != word.folded:
                forms.append(stemmed)
            if not any(form in self._vocabulary for form in forms):
                forms.extend(self.speller.corrections(word.folded))
            out.extend(forms)
        return out
