"""The web chat wired to the database: its conversations, its repeated-message check, its settings."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from bot.app import App
from bot.channels.webchat.channel import NAME, WebchatChannel
from bot.services.received_messages import ReceivedMessages
from bot.services.webchat import Transcripts


class DatabaseConversations:
    """The web chat's ``Conversations``, kept by ``bot.services.webchat``."""

    def __init__(self, app: App) -> None:
        self._app = app

    async def history(self, visitor: str, after: int) -> list[dict[str, Any]]:
        """The visitor's messages after ``after``, each ``{"id", "from", …body}``."""
        async with self._app.sessions() as session:
            transcripts = Transcripts(session)
            user = await transcripts.visitor(NAME, visitor)
            if user is None:
                return []
            return [{**entry.body, "id": entry.id, "from": entry.sender}
                    for entry in await transcripts.after(user.id, after)]  # fmt: skip

    async def record(self, visitor: str, messages: Sequence[tuple[str, dict[str, Any]]]) -> int | None:
        """Append messages to the visitor's conversation, in one transaction."""
        async with self._app.sessions() as session, session.begin():
            transcripts = Transcripts(session)
            user = await transcripts.visitor(NAME, visitor)
            return None if user is None else await transcripts.add(user.id, messages, self._app.clock.now())

    async def clear(self, visitor: str) -> None:
        """Empty the visitor's conversation."""
        async with self._app.sessions() as session, session.begin():
            transcripts = Transcripts(session)
            user = await transcripts.visitor(NAME, visitor)
            if user is not None:
                await transcripts.clear(user.id)

    async def first_time(self, message_id: str) -> bool:
        """True unless this message was handled before."""
        digest = hashlib.sha256(message_id.encode()).hexdigest()  # the visitor and their id, in 64 characters
        async with self._app.sessions() as session, session.begin():
            return await ReceivedMessages(session).first_time(NAME, digest, self._app.clock.now())


def open_webchat(app: App) -> WebchatChannel:
    """The web chat channel for ``app``, allowing its own origin and ``WEBCHAT_ORIGINS``."""
    settings = app.settings
    origins = [origin.strip() for origin in settings.webchat_origins.split(",") if origin.strip()]
    return WebchatChannel(app.dispatcher, DatabaseConversations(app), app.catalogs, key=app.rules.ticket_key,
                          origins=origins)  # fmt: skip
