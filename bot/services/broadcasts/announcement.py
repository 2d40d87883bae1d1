"""An announcement: its text in one or more languages and an optional button that opens a card; which text
each reader gets (their language, else English, else Vietnamese)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from bot.core.content import Content
from bot.core.languages import LANGUAGES, Language, parse_language
from bot.core.yaml_text import read_yaml

MAX_TEXT: Final = 4000
"""Characters of one language's text (a message is split beyond the platform's limit, but an announcement
that long is a mistake)."""
FALLBACKS: Final[tuple[Language, ...]] = ("en", "vi")
CARD_KINDS: Final = ("tour", "course", "event", "site", "quiz")


class AnnouncementError(ValueError):
    """An announcement that cannot be sent; the message names what to fix."""


@dataclass(frozen=True)
class Announcement:
    """What staff announce: ``texts`` by language, and the content id of a card to open, if any."""

    texts: dict[str, str]
    button: str | None = None


def card_kind(content: Content, item_id: str) -> str | None:
    """The kind of card (tour, course, event, site, quiz contest) with this content id."""
    ids = {"tour": content.tours.items, "course": content.courses.items, "event": content.events.items,
           "site": content.sites.items, "quiz": content.quiz.contests}  # fmt: skip
    return next((kind for kind, items in ids.items() if item_id in items), None)


def announcement_from(data: Any, content: Content) -> Announcement:
    """Check ``data`` (language codes to texts, optionally ``button: <content id>``) and make it one."""
    if not isinstance(data, dict):
        raise AnnouncementError("the file must map language codes to texts, for example  en: Dear friends, …")
    texts: dict[str, str] = {}
    button = None
    for key, value in data.items():
        if key == "button":
            if not isinstance(value, str) or card_kind(content, value) is None:
                raise AnnouncementError(f"button: no tour, course, event, site or quiz contest has the id {value!r}")
            button = value
            continue
        language = parse_language(str(key))
        if language is None or str(key) != language:
            raise AnnouncementError(f"unknown language code {key!r}: use {', '.join(LANGUAGES)}")
        if not isinstance(value, str) or not value.strip():
            raise AnnouncementError(f"the {language!r} text is empty")
        if len(value) > MAX_TEXT:
            raise AnnouncementError(f"the {language!r} text has {len(value)} characters; at most {MAX_TEXT}")
        texts[language] = value.strip()
    if not texts:
        raise AnnouncementError("no text in any language")
    return Announcement(texts, button)


def read_announcement(path: Path, content: Content) -> Announcement:
    """The announcement in a YAML file; ``AnnouncementError`` names the problem."""
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnnouncementError(f"{path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise AnnouncementError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    return announcement_from(data, content)


def text_for(texts: dict[str, str], language: str) -> tuple[str, str]:
    """The language a reader of ``language`` gets and its text: their own, else English, else Vietnamese,
    else the first there is."""
    for candidate in (language, *FALLBACKS, *LANGUAGES):
        if candidate in texts:
            return candidate, texts[candidate]
    first = next(iter(texts))
    return first, texts[first]
