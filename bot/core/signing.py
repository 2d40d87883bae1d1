"""HMAC signatures for what the bot hands out and must recognise later (tickets, file links, the web chat's
stream keys, the codes that link accounts)."""

from __future__ import annotations

import base64
import hashlib
import hmac


def signature(message: str, key: bytes, length: int) -> str:
    """``message``'s HMAC-SHA256 under ``key``, URL-safe, cut to ``length`` characters (no ``-``)."""
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:length].replace("-", "_")


def verified(message: str, given: str, key: bytes, length: int) -> bool:
    """True when ``given`` is ``message``'s signature of ``length`` characters (compared in constant time)."""
    return len(given) == length and hmac.compare_digest(given, signature(message, key, length))


def stamped(subject: str, purpose: str, expires: int, key: bytes, *, length: int, separator: str) -> str:
    """``subject`` signed for ``purpose`` until ``expires`` (epoch seconds):
    ``<subject><separator><expires><separator><signature>``."""
    return separator.join((subject, str(expires), signature(f"{purpose}:{subject}:{expires}", key, length)))


def stamped_subject(token: str, purpose: str, key: bytes, now: float, *, length: int, separator: str) -> str | None:
    """The subject of a token ``stamped`` for ``purpose``, while it stands; None for a forged, altered or
    lapsed one."""
    parts = token.split(separator)
    if len(parts) != 3 or not parts[1].isascii() or not parts[1].isdecimal() or int(parts[1]) <= now:
        return None
    subject, expires, given = parts
    return subject if verified(f"{purpose}:{subject}:{expires}", given, key, length) else None
