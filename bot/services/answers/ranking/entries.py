"""The content items the engine answers with, each reduced to its kind, id, title and localized texts."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import BaseModel

from bot.core.content import Content, Localized, Place, Section, Tour
from bot.core.languages import Language

KINDS: Final = ("faq", "event", "course", "tour", "site")
_TITLE_FIELDS: Final = ("question", "title", "name")
_SENTENCE_END: Final = re.compile(r"(?<=[.!?;。！？；])\s+|(?<=[。！？；])|\n+")


@dataclass(frozen=True)
class Entry:
    """One content item: what it is, what it is called and what it says, field by field."""

    kind: str
    id: str
    title: Localized
    fields: tuple[tuple[str, Localized], ...]
    aliases: tuple[Localized, ...] = ()
    """Other names the item answers to: a tour is named by the sites it visits."""
    asked: Mapping[Language, tuple[str, ...]] = field(default_factory=dict)
    """Questions as people ask for the item, per language."""

    @property
    def key(self) -> tuple[str, str]:
        """(kind, id)."""
        return self.kind, self.id

    def texts(self, lang: Language) -> Iterator[tuple[str, str]]:
        """(field name, text) for every field translated into ``lang``, the title first."""
        for name, value in self.fields:
            text = value.get(lang)
            if text is not None:
                yield name, text

    def sentences(self, lang: Language) -> Iterator[tuple[str, str]]:
        """(field name, sentence) for every sentence of every field in ``lang``."""
        for name, text in self.texts(lang):
            for sentence in _SENTENCE_END.split(text):
                if sentence := sentence.strip():
                    yield name, sentence


def _localized_fields(model: BaseModel) -> Iterator[tuple[str, Localized]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, Localized):
            yield name, value
        elif isinstance(value, Place):
            yield f"{name}.name", value.name
            yield f"{name}.address", value.address


def _entry(
    kind: str,
    item_id: str,
    model: BaseModel,
    aliases: tuple[Localized, ...],
    asked: Mapping[Language, tuple[str, ...]],
) -> Entry:
    fields = tuple(_localized_fields(model))
    by_name = dict(fields)
    title = next(by_name[name] for name in _TITLE_FIELDS if name in by_name)
    ordered = tuple(sorted(fields, key=lambda field: field[0] not in _TITLE_FIELDS))
    return Entry(kind, item_id, title, ordered, aliases, asked)


def entries(content: Content) -> list[Entry]:
    """Every item of ``content``: FAQ, events, courses, tours and sites, in file order."""
    sections: tuple[Section[Any], ...] = (content.faq, content.events, content.courses, content.tours, content.sites)
    out: list[Entry] = []
    for kind, section in zip(KINDS, sections, strict=True):
        for item_id, model in section.items.items():
            aliases: tuple[Localized, ...] = ()
            if isinstance(model, Tour):
                aliases = tuple(content.sites.get(site).name for site in model.sites if site in content.sites.items)
            out.append(_entry(kind, item_id, model, aliases, content.asked.items.get(item_id, {})))
    return out
