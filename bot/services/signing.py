"""HMAC signatures for what the bot hands out and must recognise later (tickets, file links)."""

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
