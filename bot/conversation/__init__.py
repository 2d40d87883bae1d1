"""The conversation layer: what a handler is given (``Context``) and the middlewares that assemble it."""

from __future__ import annotations

from bot.conversation.context import Context

__all__ = ["Context"]
