"""Telegram's HTML parse mode: a strict port of the rules of Telegram's own parser (tdlib's parse_html)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.fake_bot_api.entities import EntityParseError, FormattedText, TextBuilder, byte_offset

TAG_ENTITIES = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
SPACES = " \t\r\n\v\0"
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
ENTITY_RE = re.compile(r"&(?:([a-zA-Z]+)|#([0-9]{1,8})|#x([0-9a-fA-F]{1,7}));")
NAME_TOKEN_RE = re.compile(r"[A-Za-z0-9.\-]*")


@dataclass
class _OpenTag:
    """A start tag waiting for its end tag."""

    name: str
    start: int
    attributes: dict[str, str] = field(default_factory=dict)
    language: str | None = None


def parse_html(text: str) -> FormattedText:
    """Parse `text` like Telegram does with parse_mode HTML; raise EntityParseError where Telegram would."""
    return _HtmlParser(text).parse()


def decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """The character of the HTML entity at `pos` and the position after it, or None if there is no valid one."""
    match = ENTITY_RE.match(text, pos)
    if match is None:
        return None
    named, decimal, hexadecimal = match.groups()
    if named is not None:
        char = NAMED_ENTITIES.get(named)
        return None if char is None else (char, match.end())
    code = int(decimal, 10) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


class _HtmlParser:
    """A one-shot parser over one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.out = TextBuilder()
        self.stack: list[_OpenTag] = []

    def error(self, message: str, index: int) -> EntityParseError:
        """A parse error at character `index`, reported as a UTF-8 byte offset like Telegram does."""
        return EntityParseError(f"{message} at byte offset {byte_offset(self.text, index)}")

    def parse(self) -> FormattedText:
        """Run the parser over the whole text."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "&":
                decoded = decode_entity(text, self.pos)
                if decoded is None:
                    raise self.error('Character "&" must be escaped as "&amp;" (unsupported HTML entity)', self.pos)
                self.out.append(decoded[0])
                self.pos = decoded[1]
            elif char == "<":
                if self.pos + 1 < len(text) and text[self.pos + 1] == "/":
                    self.end_tag()
                else:
                    self.start_tag()
            else:
                end = self.pos + 1
                while end < len(text) and text[end] not in "&<":
                    end += 1
                self.out.append(text[self.pos : end])
                self.pos = end
        if self.stack:
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        return self.out.build()

    def start_tag(self) -> None:
        """Parse `<name attr="value" ...>` and open the tag."""
        text, begin = self.text, self.pos
        end = begin + 1
        while end < len(text) and text[end] not in SPACES and text[end] != ">":
            end += 1
        if end >= len(text):
            raise self.error("Unclosed start tag", begin)
        name = text[begin + 1 : end].lower()
        if name not in TAG_ENTITIES:
            raise self.error(f'Unsupported start tag "{name}"', begin)
        self.pos = end
        tag = _OpenTag(name, self.out.offset, self.attributes(name, begin))
        self.pos += 1
        self.check_tag(tag, begin)
        self.stack.append(tag)

    def attributes(self, tag: str, begin: int) -> dict[str, str]:
        """Parse the attributes of a start tag up to its closing '>'."""
        text, attributes = self.text, dict[str, str]()
        while True:
            while self.pos < len(text) and text[self.pos] in SPACES:
                self.pos += 1
            if self.pos >= len(text):
                raise self.error("Unclosed start tag", begin)
            if text[self.pos] == ">":
                return attributes
            name_start = self.pos
            while self.pos < len(text) and text[self.pos] not in SPACES and text[self.pos] not in "=>":
                self.pos += 1
            name = text[name_start : self.pos].lower()
            if not name:
                raise self.error(f'Empty attribute name in the tag "{tag}"', begin)
            while self.pos < len(text) and text[self.pos] in SPACES:
                self.pos += 1
            if self.pos >= len(text) or text[self.pos] != "=":
                if tag == "blockquote" and name == "expandable":
                    attributes[name] = ""
                    continue
                raise self.error(f'Expected equal sign in declaration of an attribute of the tag "{tag}"', begin)
            self.pos += 1
            while self.pos < len(text) and text[self.pos] in SPACES:
                self.pos += 1
            if self.pos >= len(text):
                raise self.error("Unclosed start tag", begin)
            attributes[name] = self.attribute_value(begin)

    def attribute_value(self, begin: int) -> str:
        """Parse a quoted string or a bare name token."""
        text = self.text
        quote = text[self.pos]
        if quote not in "'\"":
            match = NAME_TOKEN_RE.match(text, self.pos)
            assert match is not None
            self.pos = match.end()
            if self.pos < len(text) and text[self.pos] not in SPACES and text[self.pos] != ">":
                raise self.error("Unexpected end of name token", match.start())
            return match.group().lower()
        self.pos += 1
        value: list[str] = []
        while self.pos < len(text) and text[self.pos] != quote:
            decoded = decode_entity(text, self.pos) if text[self.pos] == "&" else None
            if decoded is None:
                value.append(text[self.pos])
                self.pos += 1
            else:
                value.append(decoded[0])
                self.pos = decoded[1]
        if self.pos >= len(text):
            raise self.error("Unclosed start tag", begin)
        self.pos += 1
        return "".join(value)

    def check_tag(self, tag: _OpenTag, begin: int) -> None:
        """Apply Telegram's per-tag attribute requirements."""
        attributes = tag.attributes
        if tag.name == "span" and attributes.get("class") != "tg-spoiler":
            raise self.error('Tag "span" must have class "tg-spoiler"', begin)
        if tag.name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise self.error('Tag "tg-emoji" must have a numeric attribute "emoji-id"', begin)
        if tag.name == "tg-time" and not attributes.get("unix", "").isdigit():
            raise self.error('Tag "tg-time" must have a numeric attribute "unix"', begin)
        if tag.name == "code" and attributes.get("class", "").startswith("language-"):
            tag.language = attributes["class"].removeprefix("language-")

    def end_tag(self) -> None:
        """Parse `</name>` and close the innermost open tag, which it must match."""
        text, begin = self.text, self.pos
        if not self.stack:
            raise self.error("Unexpected end tag", begin)
        end = begin + 2
        while end < len(text) and text[end] not in SPACES and text[end] != ">":
            end += 1
        name = text[begin + 2 : end].lower()
        while end < len(text) and text[end] in SPACES:
            end += 1
        if end >= len(text) or text[end] != ">":
            raise self.error("Unclosed end tag", begin)
        tag = self.stack[-1]
        if name and name != tag.name:
            raise self.error(f'Unmatched end tag, expected "</{tag.name}>", found "</{name}>"', begin)
        self.pos = end + 1
        self.stack.pop()
        self.close(tag)

    def close(self, tag: _OpenTag) -> None:
        """Turn a closed tag into an entity."""
        kind = TAG_ENTITIES[tag.name]
        parent = self.stack[-1] if self.stack else None
        if tag.name == "code" and parent is not None and parent.name == "pre" and tag.language is not None:
            parent.language = tag.language
            return
        extra: dict[str, str | int] = {}
        if kind == "text_link":
            href = tag.attributes.get("href", "")
            if not href:
                kind = "url"
            else:
                extra["url"] = href
        elif kind == "pre" and tag.language:
            extra["language"] = tag.language
        elif kind == "blockquote" and "expandable" in tag.attributes:
            kind = "expandable_blockquote"
        elif kind == "custom_emoji":
            extra["custom_emoji_id"] = tag.attributes["emoji-id"]
        elif kind == "date_time":
            extra["unix_time"] = int(tag.attributes["unix"])
            if "format" in tag.attributes:
                extra["date_time_format"] = tag.attributes["format"]
        self.out.add_entity(kind, tag.start, **extra)
