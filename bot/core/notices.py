"""Messages the bot starts itself (reminders, offers, replies): templates rendered at send time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.core.content import Content
from bot.core.i18n import Locale
from bot.core.messages import Reply


@dataclass(frozen=True)
class Notice:
    """What a template needs to render: the recipient's locale and the content."""

    locale: Locale
    content: Content
    now: dt.datetime | None = None
    """When it is rendered (for "in two hours"); None where nothing says how soon."""


Template = Callable[[dict[str, Any], Notice], Awaitable[list[Reply]]]
"""Renders one outbox row's parameters as replies, in the recipient's language."""
