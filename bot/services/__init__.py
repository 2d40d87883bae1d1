"""Services: the rules of registration, reminders, broadcasts and answers, apart from any conversation."""

from __future__ import annotations
