"""Reminders, each in its recipient's language at the moment it is sent: the rules (when), the scheduling
(queued with a confirmed place, cancelled with it) and following the content when it moves a time.

Every reminder is an outbox row about a subject (``registration:42``, ``event:<id>``)."""

from __future__ import annotations

from bot.services.reminders.content_changes import TIME_CHANGED, ContentChanges
from bot.services.reminders.rules import DEFAULT_RULES, RULES_FILE, ReminderRules, load_rules, rule_problems
from bot.services.reminders.scheduling import EVENT_REMINDER, REMINDER, Reminders

__all__ = [
    "DEFAULT_RULES",
    "EVENT_REMINDER",
    "REMINDER",
    "RULES_FILE",
    "TIME_CHANGED",
    "ContentChanges",
    "ReminderRules",
    "Reminders",
    "load_rules",
    "rule_problems",
]
