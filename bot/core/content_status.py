"""Which content texts still wait for a translation, per file and language (``haufo-bot content status``)."""

from __future__ import annotations

from bot.core.content import FILES, Content
from bot.core.languages import LANGUAGES, Language


def untranslated(content: Content) -> dict[str, dict[Language, list[str]]]:
    """Per content file, per language, the key paths of the texts not translated into it yet."""
    missing: dict[str, dict[Language, list[str]]] = {name: {lang: [] for lang in LANGUAGES} for name in FILES}
    for file_name, path, text in content.texts():
        for lang in LANGUAGES:
            if text.get(lang) is None:
                missing[file_name][lang].append(path)
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
