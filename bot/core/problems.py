"""What is wrong in a content file, located by file and key: a kind that staff can be told in their own
language, and an English message for the command line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import yaml
from pydantic import ValidationError

from bot.core.languages import LANGUAGES


class UnknownContent(LookupError):
    """An id that names no content item."""


class ProblemKind(StrEnum):
    """The kinds of problem; ``detail`` completes some of them."""

    FILE_MISSING = "file_missing"
    YAML = "yaml"
    """The file cannot be parsed; ``detail`` is ``line:column``."""
    NOT_MAPPING = "not_mapping"
    BAD_ID = "bad_id"
    MISSING = "missing"
    MISSING_TEXT = "missing_text"
    """``detail`` is the language code."""
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_REFERENCE = "unknown_reference"
    """``detail`` is the id named."""
    INVALID = "invalid"
    """``detail`` is pydantic's explanation."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the content."""

    file: str
    key: str
    message: str
    kind: ProblemKind = ProblemKind.INVALID
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}" if self.key else f"{self.file}: {self.message}"


def key_of(loc: Iterable[int | str]) -> str:
    """A pydantic location as a dotted key (``tour-x.return``: a field named after a keyword)."""
    return ".".join("return" if part == "return_" else str(part) for part in loc)


def yaml_problem(file: str, error: yaml.YAMLError) -> Problem:
    """A file that is not valid YAML, located by line and column when the parser says where."""
    mark = getattr(error, "problem_mark", None)
    where = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
    message = f"not valid YAML at line {mark.line + 1}, column {mark.column + 1}" if mark else "not valid YAML"
    return Problem(file, "", message, ProblemKind.YAML, where)


def _problem(file: str, key: str, error: Mapping[str, Any]) -> Problem:
    last = str(error["loc"][-1]) if error["loc"] else ""
    if error["type"] == "missing" and last in LANGUAGES:
        return Problem(file, key, f"missing the {last} text", ProblemKind.MISSING_TEXT, last)
    if error["type"] == "missing":
        return Problem(file, key, str(error["msg"]), ProblemKind.MISSING)
    if error["type"] == "extra_forbidden":
        return Problem(file, key, str(error["msg"]), ProblemKind.UNKNOWN_FIELD)
    return Problem(file, key, str(error["msg"]), ProblemKind.INVALID, str(error["msg"]))


def validation_problems(file: str, error: ValidationError, *prefix: str) -> list[Problem]:
    """Each of pydantic's findings, its key under ``prefix`` (the item's id)."""
    return [_problem(file, key_of((*prefix, *found["loc"])), found) for found in error.errors()]
