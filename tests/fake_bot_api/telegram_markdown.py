"""Telegram's MarkdownV2 and legacy Markdown parse modes, ported from the rules of tdlib's parsers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.fake_bot_api.entities import EntityParseError, FormattedText, TextBuilder, byte_offset

RESERVED = "_*[]()~`>#+-=|{}.!"
SPACES = " \t\r\n\v\0"
TYPE_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}
EMOJI_URL_RE = re.compile(r"tg://emoji\?id=(\d+)")
TIME_URL_RE = re.compile(r"tg://time\?unix=(\d+)(?:&format=([A-Za-z]*))?")


@dataclass
class _Open:
    """An entity whose closing marker has not been seen yet."""

    kind: str
    start: int
    index: int
    language: str | None = None


def parse_markdown_v2(text: str) -> FormattedText:
    """Parse `text` like Telegram does with parse_mode MarkdownV2; raise EntityParseError where Telegram would."""
    return _MarkdownV2Parser(text).parse()


def _skip_pre_start(text: str, pos: int) -> tuple[str | None, int]:
    """After an opening ``` at `pos`: the language, if any, and the position where the pre text starts."""
    end = pos
    while end < len(text) and text[end] not in SPACES and text[end] != "`":
        end += 1
    language = None
    if end != pos and end < len(text) and text[end] != "`":
        language, pos = text[pos:end], end
    if pos < len(text) and text[pos] in "\r\n":
        pos += 2 if text[pos + 1 : pos + 2] in ("\r", "\n") and text[pos + 1] != text[pos] else 1
    return language, pos


class _MarkdownV2Parser:
    """A one-shot MarkdownV2 parser over one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.out = TextBuilder()
        self.stack: list[_Open] = []
        self.in_quote = False

    def at(self, index: int) -> str:
        """The character at `index`, or "" past the end."""
        return self.text[index] if index < len(self.text) else ""

    def parse(self) -> FormattedText:
        """Run the parser over the whole text."""
        text = self.text
        while self.pos < len(text):
            char, nxt = text[self.pos], self.at(self.pos + 1)
            if char == "\\" and nxt and 0 < ord(nxt) <= 126:
                self.out.append(nxt)
                self.pos += 2
                continue
            in_code = bool(self.stack) and self.stack[-1].kind in ("code", "pre")
            if not in_code and self.quote_marker():
                continue
            if char not in ("`" if in_code else RESERVED):
                self.out.append(char)
                self.in_quote = self.in_quote and char != "\n"
                self.pos += 1
            elif self.stack and self.is_end(self.stack[-1].kind):
                self.close(self.stack.pop())
            else:
                self.open(char)
        if self.stack:
            entity = self.stack[-1]
            message = f"Can't find end of {TYPE_NAMES[entity.kind]} entity"
            raise EntityParseError(f"{message} at byte offset {byte_offset(text, entity.index)}")
        return self.out.build()

    def quote_marker(self) -> bool:
        """Skip a blockquote marker (">" or "**>" at a line start, "||" ending an expandable quote)."""
        text, pos = self.text, self.pos
        line_start = pos == 0 or text[pos - 1] == "\n"
        for marker in ("**>", ">"):
            if line_start and text.startswith(marker, pos):
                self.pos += len(marker)
                self.in_quote = True
                return True
        ends_line = self.at(pos + 2) in ("", "\n")
        spoiler_open = bool(self.stack) and self.stack[-1].kind == "spoiler"
        if self.in_quote and text.startswith("||", pos) and ends_line and not spoiler_open:
            self.pos += 2
            return True
        return False

    def is_end(self, kind: str) -> bool:
        """Whether the text at the current position closes an entity of `kind`."""
        char, nxt = self.text[self.pos], self.at(self.pos + 1)
        return {
            "bold": char == "*",
            "italic": char == "_" and nxt != "_",
            "underline": char == "_" and nxt == "_",
            "strikethrough": char == "~",
            "spoiler": char == "|" and nxt == "|",
            "code": char == "`",
            "pre": self.text.startswith("```", self.pos),
            "text_link": char == "]",
            "custom_emoji": char == "]",
        }[kind]

    def reserved(self) -> EntityParseError:
        """The error for an unescaped reserved character."""
        return EntityParseError(
            f"Character '{self.text[self.pos]}' is reserved and must be escaped with the preceding '\\'"
        )

    def open(self, char: str) -> None:
        """Open the entity that starts with `char`."""
        index, nxt = self.pos, self.at(self.pos + 1)
        language = None
        if char == "_" and nxt == "_":
            kind, self.pos = "underline", self.pos + 2
        elif char == "|" and nxt == "|":
            kind, self.pos = "spoiler", self.pos + 2
        elif char == "!" and nxt == "[":
            kind, self.pos = "custom_emoji", self.pos + 2
        elif char == "`" and self.text.startswith("```", self.pos):
            kind = "pre"
            language, self.pos = _skip_pre_start(self.text, self.pos + 3)
        elif char in "_*~[`":
            kind = {"_": "italic", "*": "bold", "~": "strikethrough", "[": "text_link", "`": "code"}[char]
            self.pos += 1
        else:
            raise self.reserved()
        self.stack.append(_Open(kind, self.out.offset, index, language))

    def close(self, entity: _Open) -> None:
        """Consume the closing marker of `entity` (and a link's URL) and record the entity."""
        self.pos += {"underline": 2, "spoiler": 2, "pre": 3}.get(entity.kind, 1)
        extra: dict[str, str | int] = {}
        kind = entity.kind
        if kind in ("text_link", "custom_emoji"):
            if self.at(self.pos) == "(":
                url = self.url()
            elif kind == "custom_emoji":
                raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
            else:
                url = ""
            if kind == "custom_emoji":
                kind, extra = self.emoji_or_time(url)
            elif url:
                extra["url"] = url
            else:
                kind = "url"
        elif kind == "pre" and entity.language:
            extra["language"] = entity.language
        self.out.add_entity(kind, entity.start, **extra)

    def url(self) -> str:
        """Parse `(url)` after a link text, honouring backslash escapes."""
        begin = self.pos + 1
        self.pos = begin
        chars: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] != ")":
            nxt = self.at(self.pos + 1)
            if self.text[self.pos] == "\\" and nxt and 0 < ord(nxt) <= 126:
                chars.append(nxt)
                self.pos += 2
            else:
                chars.append(self.text[self.pos])
                self.pos += 1
        if self.pos >= len(self.text):
            raise EntityParseError(f"Can't find end of a URL at byte offset {byte_offset(self.text, begin)}")
        self.pos += 1
        return "".join(chars)

    @staticmethod
    def emoji_or_time(url: str) -> tuple[str, dict[str, str | int]]:
        """The entity of `![text](url)`: a custom emoji or a date_time."""
        if match := EMOJI_URL_RE.fullmatch(url):
            return "custom_emoji", {"custom_emoji_id": match.group(1)}
        if match := TIME_URL_RE.fullmatch(url):
            extra: dict[str, str | int] = {"unix_time": int(match.group(1))}
            if match.group(2):
                extra["date_time_format"] = match.group(2)
            return "date_time", extra
        raise EntityParseError("Custom emoji URL must have an emoji identifier")


def parse_markdown(text: str) -> FormattedText:
    """Parse `text` like Telegram does with the legacy parse_mode Markdown (no nesting, no escaping of others)."""
    out, pos = TextBuilder(), 0
    while pos < len(text):
        char, nxt = text[pos], text[pos + 1 : pos + 2]
        if char == "\\" and nxt and nxt in "_*`[":
            out.append(nxt)
            pos += 2
            continue
        if char not in "_*`[":
            out.append(char)
            pos += 1
            continue
        begin, closing, is_pre, language = pos, "]" if char == "[" else char, False, None
        pos += 1
        if text.startswith("```", begin):
            is_pre = True
            language, pos = _skip_pre_start(text, begin + 3)
        start = out.offset
        while pos < len(text) and (text[pos] != closing or (is_pre and not text.startswith("```", pos))):
            out.append(text[pos])
            pos += 1
        if pos >= len(text):
            raise EntityParseError(f"Can't find end of the entity starting at byte offset {byte_offset(text, begin)}")
        pos += 3 if is_pre else 1
        if char == "[":
            url = ""
            if text[pos : pos + 1] == "(":
                end = text.find(")", pos)
                end = len(text) if end < 0 else end
                url, pos = text[pos + 1 : end], end + 1
            if url:
                out.add_entity("text_link", start, url=url)
            else:
                out.add_entity("url", start)
        elif is_pre:
            out.add_entity("pre", start, **({"language": language} if language else {}))
        else:
            out.add_entity({"_": "italic", "*": "bold", "`": "code"}[char], start)
    return out.build()
