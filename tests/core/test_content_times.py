"""Clock times in the content are written as the interface writes them: each locale's CLDR pattern."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from bot.core.content import Content
from bot.core.i18n import Catalogs

CLOCK_TIME: Final = re.compile(r"(?<![\d:/.,])(\d{1,2}):(\d{2})(?![\d:])")


def test_every_clock_time_in_the_content_follows_the_readers_locale(content: Content, catalogs: Catalogs) -> None:
    odd = []
    for file_name, path, text in content.texts():
        for lang, body in text.items():
            for found in CLOCK_TIME.finditer(body):
                hour, minute = int(found.group(1)), int(found.group(2))
                if hour < 24 and minute < 60:
                    expected = catalogs.locale(lang).time(dt.time(hour, minute))
                    if found.group() != expected:
                        odd.append(f"{file_name}: {path}.{lang}: {found.group()} (write {expected})")
    assert not odd, "\n".join(odd)
