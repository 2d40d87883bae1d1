"""Questions as people write them, per content item and language (``content/asked/<lang>.yaml``).

The answer engine learns from them how each item is asked for, and from ``out_of_scope`` what the content does
not answer. A language's file is optional; an id it names must be a content item.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from bot.core.languages import LANGUAGES, Language
from bot.core.problems import Problem, ProblemKind, validation_problems, yaml_problem
from bot.core.yaml_text import read_yaml

FOLDER = "asked"

Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class _AskedFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    items: dict[str, list[Question]] = {}
    out_of_scope: list[Question] = []


@dataclass(frozen=True)
class Asked:
    """Example questions: per item id, per language; and per language, questions nothing answers."""

    items: Mapping[str, Mapping[Language, tuple[str, ...]]] = field(default_factory=dict)
    out_of_scope: Mapping[Language, tuple[str, ...]] = field(default_factory=dict)

    def of(self, item_id: str, lang: Language) -> tuple[str, ...]:
        """The example questions for ``item_id`` in ``lang`` (none when there are none)."""
        return self.items.get(item_id, {}).get(lang, ())


def load_asked(directory: Path, item_ids: Collection[str] | None) -> tuple[Asked, list[Problem]]:
    """The example questions under ``directory/asked``, and every problem found; ids are
    checked against ``item_ids`` (not when None: the items themselves could not be read)."""
    items: dict[str, dict[Language, tuple[str, ...]]] = {}
    out_of_scope: dict[Language, tuple[str, ...]] = {}
    problems: list[Problem] = []
    for lang in LANGUAGES:
        path = directory / FOLDER / f"{lang}.yaml"
        name = f"{FOLDER}/{lang}.yaml"
        if not path.exists():
            continue
        try:
            parsed = _AskedFile.model_validate(read_yaml(path.read_text(encoding="utf-8")) or {})
        except yaml.YAMLError as exc:
            problems.append(yaml_problem(name, exc))
            continue
        except ValidationError as exc:
            problems.extend(validation_problems(name, exc))
            continue
        for item_id, questions in parsed.items.items():
            if item_ids is not None and item_id not in item_ids:
                problems.append(
                    Problem(
                        name,
                        f"items.{item_id}",
                        f"unknown content id {item_id!r}",
                        ProblemKind.UNKNOWN_REFERENCE,
                        item_id,
                    )
                )
            elif questions:
                items.setdefault(item_id, {})[lang] = tuple(questions)
        if parsed.out_of_scope:
            out_of_scope[lang] = tuple(parsed.out_of_scope)
    return Asked(items, out_of_scope), problems
