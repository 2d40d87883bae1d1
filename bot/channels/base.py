"""The small interface every channel implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.core.messages import Reply


class Channel(Protocol):
    """A platform the bot talks on: started, stopped, and able to send replies to a chat."""

    name: str

    async def start(self) -> None:
        """Begin receiving messages."""
        ...

    async def stop(self) -> None:
        """Stop receiving, after finishing the messages in hand."""
        ...

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        """Deliver ``replies`` to ``chat_id``, degrading features the platform lacks."""
        ...
