"""The seven languages the bot speaks, and how to read a platform's language hint."""

from __future__ import annotations

import re
from typing import Final, Literal, get_args

Language = Literal["vi", "en", "fr", "ru", "zh", "ja", "ko"]

LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)
DEFAULT_LANGUAGE: Final[Language] = "en"

NATIVE_NAMES: Final[dict[Language, str]] = {
    "vi": "Tiếng Việt",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
}


def parse_language(code: str | None) -> Language | None:
    """The supported language a code such as ``zh-hans`` or ``fr_CA`` names, if any."""
    if not code:
        return None
    base = code.replace("_", "-").split("-", 1)[0].strip().lower()
    for lang in LANGUAGES:
        if lang == base:
            return lang
    return None


_NAMES: Final[dict[Language, str]] = {
    # Each language's name as people write it in the seven: "in French", "по-французски", "用法语", "프랑스어로".
    "vi": r"ti[eế]ng vi[eệ]t|vietnam[ie]+[sn]e?|вьетнамск|по-вьетнамски|越南[语語话文]|越语|ベトナム語|베트남어",
    "en": r"ti[eế]ng anh|english|anglais|англ[иі]йск|по-английски|英[语語文]|영어",
    "fr": r"ti[eế]ng ph[aá]p|french|fran[cç]ais|французск|по-французски|法[语語文]|フランス語|프랑스어|불어",
    "ru": r"ti[eế]ng nga|russian|russe|русск|по-русски|俄[语語文]|ロシア語|러시아어",
    "zh": r"ti[eế]ng (?:trung|hoa)|chinese|chinois|китайск|по-китайски|中文|汉语|漢語|华语|華語|中国語|중국어",
    "ja": r"ti[eế]ng nh[aậ]t|japanese|japonais|японск|по-японски|日[语語文]|日本語|일본어",
    "ko": r"ti[eế]ng h[aà]n|korean|cor[eé]en|корейск|по-корейски|韩[语語文]|韓[语語文]|韓国語|한국어",
}
_NAMED: Final = {lang: re.compile(pattern, re.IGNORECASE) for lang, pattern in _NAMES.items()}


def languages_named(text: str) -> tuple[Language, ...]:
    """The supported languages ``text`` names, in any of the seven ("answer in French", "переключите на русский")."""
    return tuple(lang for lang, pattern in _NAMED.items() if pattern.search(text))
