"""The seven languages the bot speaks, and how to read a platform's language hint."""

from __future__ import annotations

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
