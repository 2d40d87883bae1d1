"""The glossary: one form per language for every proper name and for the interface terms the content names.

``content/glossary.yaml`` is for writers and translators (its header records the register chosen for each
language) and for the tests, which refuse a variant form anywhere in the content or the catalogs and a
button named in the FAQ by a label the interface does not have.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bot.core.languages import Language
from bot.core.yaml_text import read_yaml

GLOSSARY_FILE = "glossary.yaml"


class Name(BaseModel):
    """A proper name: its form in each language, and forms that must not be used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    forms: dict[Language, str]
    variants: dict[Language, tuple[str, ...]] = {}


class Glossary(BaseModel):
    """The register of each language, the names, and the interface labels (English msgids) content refers to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    registers: dict[Language, str]
    names: dict[str, Name]
    labels: dict[str, str]


def load_glossary(content_dir: Path) -> Glossary:
    """The glossary of the content in ``content_dir``."""
    return Glossary.model_validate(read_yaml((content_dir / GLOSSARY_FILE).read_text(encoding="utf-8")))
