"""Start-up problems reported as one line saying what to fix."""

from __future__ import annotations


class StartupError(Exception):
    """The bot cannot start; the message tells the operator what to fix."""
