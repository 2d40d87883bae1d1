"""The language of a person reading a web page: the first of the seven their browser asks for."""

from __future__ import annotations

from babel import negotiate_locale
from starlette.requests import Request

from bot.core.i18n import Catalogs, Locale
from bot.core.languages import DEFAULT_LANGUAGE, LANGUAGES, parse_language


def reader_locale(request: Request, catalogs: Catalogs) -> Locale:
    """The locale the ``Accept-Language`` header prefers among the seven, else English."""
    wanted = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        if tag:
            wanted.append((weight, tag.replace("-", "_")))
    preferred = [tag for _weight, tag in sorted(wanted, key=lambda pair: -pair[0])]
    chosen = negotiate_locale(preferred, list(LANGUAGES), sep="_")
    return catalogs.locale(parse_language(chosen) or DEFAULT_LANGUAGE)
