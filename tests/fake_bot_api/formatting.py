"""Entity parsing of a text according to its parse_mode, as Telegram does before it checks lengths."""

from __future__ import annotations

from collections.abc import Callable

from tests.fake_bot_api.entities import FormattedText
from tests.fake_bot_api.telegram_html import parse_html
from tests.fake_bot_api.telegram_markdown import parse_markdown, parse_markdown_v2

PARSERS: dict[str, Callable[[str], FormattedText]] = {
    "html": parse_html,
    "markdownv2": parse_markdown_v2,
    "markdown": parse_markdown,
}


class UnsupportedParseMode(ValueError):
    """A parse_mode Telegram does not know."""


def parse_formatted(text: str, parse_mode: object = None) -> FormattedText:
    """The text after entity parsing and trimming; raises EntityParseError or UnsupportedParseMode."""
    if parse_mode is None or parse_mode == "":
        return FormattedText(text).stripped()
    parser = PARSERS.get(str(parse_mode).lower())
    if parser is None:
        raise UnsupportedParseMode(f"unsupported parse_mode {parse_mode!r}")
    return parser(text).stripped()
