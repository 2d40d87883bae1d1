"""What a handler is given besides the message."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.core.clock import Clock
from bot.core.content import Content
from bot.core.dialog import Dialog
from bot.core.i18n import Locale
from bot.db.models import User
from bot.db.repositories import Repository
from bot.services.answers import Answerer
from bot.services.registration import Registrations, Rules


@dataclass
class Context:
    """Per-message dependencies, assembled by the middlewares."""

    repo: Repository
    user: User
    dialog: Dialog
    content: Content
    locale: Locale
    clock: Clock
    rules: Rules
    answerer: Answerer | None = None
    faq_candidates: Path = Path("data/faq-candidates.yaml")

    @cached_property
    def registrations(self) -> Registrations:
        """The registration rules on this message's session."""
        return Registrations(self.repo.session, self.content, self.clock, self.locale.timezone, self.rules)
