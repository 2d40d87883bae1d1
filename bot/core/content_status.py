"""Which content texts still wait for a translation, per file and language (``haufo-bot content status``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from bot.core.content import FILES, Content, Localized, Section
from bot.core.languages import LANGUAGES, Language


def localized_texts(value: Any, path: str) -> Iterator[tuple[str, Localized]]:
    """Every text inside ``value`` with its key path (``co-loa.description``, ``x.meeting_point.name``)."""
    if isinstance(value, Localized):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, field in value:
            yield from localized_texts(field, f"{path}.{name}" if path else name)
    elif isinstance(value, list | tuple):
        for index, element in enumerate(value):
            yield from localized_texts(element, f"{path}[{index}]")


def sections(content: Content) -> dict[str, Section[Any]]:
    """The content's sections by the file they come from."""
    by_kind: dict[str, Section[Any]] = {
        "site": content.sites,
        "tour": content.tours,
        "course": content.courses,
        "event": content.events,
        "faq": content.faq,
    }
    return {file_name: by_kind[model.__name__.lower()] for file_name, model in FILES.items()}


def untranslated(content: Content) -> dict[str, dict[Language, list[str]]]:
    """Per content file, per language, the key paths of the texts not translated into it yet."""
    missing: dict[str, dict[Language, list[str]]] = {}
    for file_name, section in sections(content).items():
        per_language: dict[Language, list[str]] = {lang: [] for lang in LANGUAGES}
        for item_id, item in section.items.items():
            for path, text in localized_texts(item, item_id):
                for lang in LANGUAGES:
                    if text.get(lang) is None:
                        per_language[lang].append(path)
        missing[file_name] = per_language
    return missing


def status_table(missing: dict[str, dict[Language, list[str]]], *, listed: bool = False) -> str:
    """A table of how many texts each file lacks per language; with ``listed``, their key paths too."""
    width = max(len(name) for name in missing)
    lines = [f"{'file':<{width}}  " + "  ".join(f"{lang:>4}" for lang in LANGUAGES)]
    for file_name, per_language in missing.items():
        lines.append(f"{file_name:<{width}}  " + "  ".join(f"{len(per_language[lang]):>4}" for lang in LANGUAGES))
    if listed:
        for file_name, per_language in missing.items():
            for lang, paths in per_language.items():
                lines += [f"{file_name} {lang}: {path}" for path in paths]
    total = sum(len(paths) for per_language in missing.values() for paths in per_language.values())
    lines.append("every text is translated" if total == 0 else f"{total} texts wait for a translation")
    return "\n".join(lines)
