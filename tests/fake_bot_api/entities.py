"""Text with message entities, as Telegram produces it when it parses formatted text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class EntityParseError(ValueError):
    """Telegram's "can't parse entities" error; the message mimics Telegram's wording."""


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of entity offsets and lengths."""
    return len(text.encode("utf-16-le")) // 2


def byte_offset(text: str, index: int) -> int:
    """UTF-8 byte offset of character `index`, the position Telegram reports in parse errors."""
    return len(text[:index].encode("utf-8"))


@dataclass(frozen=True)
class FormattedText:
    """Plain text and its entities (dicts shaped like MessageEntity, offsets in UTF-16 code units)."""

    text: str
    entities: tuple[dict[str, Any], ...] = ()

    def stripped(self) -> FormattedText:
        """The text without leading and trailing whitespace, entities shifted and clipped like Telegram does."""
        body = self.text.strip()
        if not body:
            return FormattedText("")
        shift = utf16_len(self.text[: len(self.text) - len(self.text.lstrip())])
        end = utf16_len(body)
        entities = []
        for entity in self.entities:
            start = max(entity["offset"] - shift, 0)
            stop = min(entity["offset"] + entity["length"] - shift, end)
            if stop > start:
                entities.append({**entity, "offset": start, "length": stop - start})
        return FormattedText(body, tuple(entities))


@dataclass
class TextBuilder:
    """Accumulates parsed text and tracks the UTF-16 offset at which entities start."""

    parts: list[str] = field(default_factory=list)
    offset: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)

    def append(self, chunk: str) -> None:
        """Append plain text."""
        self.parts.append(chunk)
        self.offset += utf16_len(chunk)

    def add_entity(self, kind: str, start: int, **extra: Any) -> None:
        """Record an entity of `kind` from UTF-16 offset `start` to the current end; empty ones are dropped."""
        if self.offset > start:
            self.entities.append({"type": kind, "offset": start, "length": self.offset - start, **extra})

    def build(self) -> FormattedText:
        """The text and its entities sorted like Telegram sorts them."""
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self.parts), tuple(entities))
