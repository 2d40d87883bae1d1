"""Content texts as PO catalogs for translators: ``content export`` writes what a language still needs (the
English as the source, the Vietnamese as a comment), ``content import`` writes the translations back into the
YAML files (ruamel.yaml keeps their comments and layout), after checking the whole content with them."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from ruamel.yaml import YAML

from bot.core.content import FILES, Content, check_content
from bot.core.languages import Language, parse_language
from bot.core.problems import Problem

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Imported:
    """What an import changed, or every problem that stopped it (then nothing was written)."""

    texts: int
    problems: tuple[str, ...] = ()


def export_po(content: Content, lang: Language, *, everything: bool = False) -> bytes:
    """A PO catalog of the texts not yet translated into ``lang`` (with ``everything``, all of them, their
    current translation filled in): context ``file:key``, source English, Vietnamese as a comment."""
    catalog = Catalog(locale=lang, project="haufo-bot content", charset="utf-8", fuzzy=False)
    for file_name, path, text in content.texts():
        current = text.get(lang)
        if current is None or everything:
            catalog.add(text.en, current or "", context=f"{file_name}:{path}", auto_comments=[f"vi: {text.vi}"])
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False)
    return out.getvalue()


def import_po(data: bytes, directory: Path) -> Imported:
    """Write the translations of a PO catalog made by ``export_po`` into the content in ``directory``, if the
    content with them is still valid; a key that does not exist, a text whose English source changed since
    the export, or any content problem stops the import before anything is written."""
    catalog = read_po(io.BytesIO(data))
    lang = parse_language(str(catalog.locale)) if catalog.locale else None
    if lang is None:
        return Imported(0, ("the catalog names no language: its header needs Language: xx",))
    yaml = _yaml()
    documents = {name: yaml.load((directory / name).read_text(encoding="utf-8")) for name in FILES}
    problems: list[str] = []
    count = 0
    for message in catalog:
        if not message.id or not message.string or not message.context:
            continue
        file_name, _, path = str(message.context).partition(":")
        node = _find(documents.get(file_name), path)
        if node is None:
            problems.append(f"{message.context}: no such text in the content")
        elif node.get("en") != message.id:
            problems.append(f"{message.context}: the English text changed since the export; export again")
        else:
            node[lang] = str(message.string)
            count += 1
    if not problems:
        problems = [str(problem) for problem in _check_with(documents, directory, yaml)]
    if problems:
        return Imported(0, tuple(problems))
    for name, document in documents.items():
        with (directory / name).open("w", encoding="utf-8") as handle:
            yaml.dump(document, handle)
    return Imported(count)


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, order and quoting stay as staff wrote them
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)  # lists as the content files write them
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    return yaml


def _find(document: Any, path: str) -> Any:
    """The mapping of languages at ``path`` (``id.field[2].name``) in a loaded YAML document, or None."""
    node = document
    for key, index in _STEP.findall(path):
        try:
            node = node[int(index)] if index else node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node if hasattr(node, "get") else None


def _check_with(documents: dict[str, Any], directory: Path, yaml: YAML) -> Iterator[Problem]:
    """The content's problems once the documents replace its files (checked in a copy)."""
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / "content"
        shutil.copytree(directory, trial)
        for name, document in documents.items():
            with (trial / name).open("w", encoding="utf-8") as handle:
                yaml.dump(document, handle)
        _, problems = check_content(trial)
        yield from problems
