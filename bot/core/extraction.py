"""Keeping the catalogs in step with the code: extract interface strings, update every language.

Run ``python -m bot.core.extraction`` (``make catalogs``) after changing interface strings, then
translate what is new or fuzzy in ``locales/*/LC_MESSAGES/messages.po``.
"""

from __future__ import annotations

import copy
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.config import PROJECT_ROOT
from bot.core.i18n import DOMAIN
from bot.core.languages import DEFAULT_LANGUAGE, LANGUAGES

SOURCES = ("bot", "handlers")


def extract_template(root: Path = PROJECT_ROOT) -> Catalog:
    """Every interface string marked in the code, as a template catalog."""
    template = Catalog(project="haufo-bot", msgid_bugs_address="lienhe@haufo.org.vn", fuzzy=False)
    for source in SOURCES:
        for _filename, _lineno, message, comments, context in extract_from_dir(
            root / source, keywords=DEFAULT_KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            template.add(message, None, auto_comments=comments, context=context)
    return template


def catalog_path(locales: Path, language: str) -> Path:
    """Where the catalog of ``language`` lives."""
    return locales / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(locales: Path, language: str) -> Catalog:
    """The catalog of ``language``."""
    with catalog_path(locales, language).open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


def update_catalogs(locales: Path, template: Catalog) -> None:
    """Write the template and merge it into every language's catalog; English translates to itself."""
    with (locales / f"{DOMAIN}.pot").open("wb") as pot:
        write_po(pot, template, omit_header=False, sort_output=True, no_location=True)
    for language in LANGUAGES:
        path = catalog_path(locales, language)
        if path.exists():
            catalog = read_catalog(locales, language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, domain=DOMAIN, project="haufo-bot", fuzzy=False)
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        if language == DEFAULT_LANGUAGE:
            for message in catalog:
                if message.id and not (all(message.string) if isinstance(message.string, tuple) else message.string):
                    message.string = message.id
        with path.open("wb") as po:
            write_po(po, catalog, sort_output=True, no_location=True, ignore_obsolete=True)


if __name__ == "__main__":
    update_catalogs(PROJECT_ROOT / "locales", extract_template())
