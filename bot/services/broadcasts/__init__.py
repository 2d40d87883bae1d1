"""Broadcasts: announcements staff send to an audience, each recipient reading their own language."""

from __future__ import annotations

from bot.services.broadcasts.announcement import (
    Announcement,
    AnnouncementError,
    card_kind,
    read_announcement,
    text_for,
)
from bot.services.broadcasts.audience import Audience, AudienceError, parse_audience, recipients
from bot.services.broadcasts.broadcasts import (
    ACTIVE,
    BROADCAST,
    CORRECTION,
    PAUSED,
    PROGRESS,
    STOPPED,
    WITHDRAWAL,
    Broadcasts,
    Progress,
)

__all__ = [
    "ACTIVE",
    "BROADCAST",
    "CORRECTION",
    "PAUSED",
    "PROGRESS",
    "STOPPED",
    "WITHDRAWAL",
    "Announcement",
    "AnnouncementError",
    "Audience",
    "AudienceError",
    "Broadcasts",
    "Progress",
    "card_kind",
    "parse_audience",
    "read_announcement",
    "recipients",
    "text_for",
]
