"""Logs without secrets or personal data: one line per event, as text or as JSON (``LOG_FORMAT=json``).

Nothing the bot logs carries a message's text or a form's answers. As a second line of defence, every line
and every stored error passes ``redact``: the secrets of the settings (registered at start), and anything
shaped like a Bot API token, an e-mail address or a phone number, become ``[redacted]``."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Iterable
from typing import Any, Final, Literal, TextIO

REDACTED: Final = "[redacted]"
TOKEN: Final = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
EMAIL: Final = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE: Final = re.compile(r"(?<![\w+-])(?:\+|0)\d(?:[ .()-]{0,2}\d){7,13}(?![\w-])")
"""International (``+84 912 345 678``) or national (``0912.345.678``) numbers; not dates, times or ids."""
FIELDS: Final = ("channel", "router", "user", "latency_ms", "outcome")
"""Event fields a log call may pass in ``extra``; the JSON lines carry them as keys."""
TEXT_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Redactor:
    """Replaces the registered secrets, and tokens, e-mail addresses and phone numbers, in a text."""

    def __init__(self) -> None:
        self._secrets: list[str] = []

    def add(self, secrets: Iterable[str | None]) -> None:
        """Never let these through (values shorter than 6 characters are too common to replace)."""
        known = set(self._secrets) | {secret for secret in secrets if secret and len(secret) >= 6}
        self._secrets = sorted(known, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        for pattern in (TOKEN, EMAIL, PHONE):
            text = pattern.sub(REDACTED, text)
        return text


redact: Final = Redactor()
"""The process's redactor: ``configure_logging`` registers the settings' secrets with it."""


class RedactingFilter(logging.Filter):
    """Redacts each record's message, traceback and stack before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, event, the event's fields, the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry |= {name: getattr(record, name) for name in FIELDS if hasattr(record, name)}
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(
    level: str, style: Literal["text", "json"], secrets: Iterable[str | None], *, stream: TextIO | None = None
) -> logging.Handler:
    """Log the bot's own events from ``level`` (libraries from WARNING) to ``stream`` (standard error), as
    text or JSON, every record through the redaction filter; returns the handler."""
    redact.add(secrets)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setLevel(level)  # also for libraries that set their own loggers to DEBUG
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter() if style == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for own in ("bot", "handlers"):
        logging.getLogger(own).setLevel(level)
    return handler
