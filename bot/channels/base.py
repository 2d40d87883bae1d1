"""The small interface every channel implements, and how sending can fail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from starlette.routing import BaseRoute

from bot.core.messages import Priority, Reply


class DeliveryFailed(Exception):
    """The platform could not take the message now (network, server error); worth trying again later."""


class RecipientUnreachable(DeliveryFailed):
    """The recipient blocked the bot or no longer exists; trying again would not help."""


class MessageRejected(DeliveryFailed):
    """The platform refused the message itself; trying again would not help."""


@dataclass(frozen=True)
class Reception:
    """How a channel receives updates, and when it last heard from its platform (epoch seconds: an update
    received, a poll answered, the webhook registered), for ``/readyz``."""

    mode: Literal["polling", "webhook", "console"]
    last_heard: float | None


class PollBook(Protocol):
    """Where a channel keeps the payload each option of a native poll stands for (a poll's answer arrives
    with the poll's id only, maybe at another worker)."""

    async def remember(self, channel: str, poll_id: str, payloads: Sequence[str]) -> None:
        """Keep the payloads of a poll just sent, in the order of its options."""
        ...

    async def recall(self, channel: str, poll_id: str) -> list[str] | None:
        """The payloads of a poll sent earlier; None when it is unknown (or forgotten)."""
        ...


class Channel(Protocol):
    """A platform the bot talks on: started, stopped, and able to send replies to a chat."""

    name: str
    title: str
    """The platform's name as people know it ("Telegram")."""
    has_buttons: bool
    """False where buttons show as numbered lines, pressed by typing the number (``bot.core.numbered``)."""

    async def start(self) -> None:
        """Begin receiving messages."""
        ...

    async def stop(self) -> None:
        """Stop receiving, after finishing the messages in hand."""
        ...

    def start_link(self, parameter: str) -> str | None:
        """A link that opens a chat with the bot and hands it ``parameter`` (Telegram's ``?start=``), if the
        platform has such links."""
        ...

    def reception(self) -> Reception:
        """How updates arrive, and when the platform was last heard from."""
        ...

    def web_routes(self) -> Sequence[BaseRoute]:
        """What the channel serves on the bot's web app (its webhook); none when it polls."""
        ...

    async def close(self) -> None:
        """Release the platform's client, once nothing is received or sent any more."""
        ...

    async def send(self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE) -> str | None:
        """Deliver ``replies`` to ``chat_id``, degrading features the platform lacks, within the channel's
        sending budget at ``priority``; return the platform's id of the last message, if it has one. Raises
        ``DeliveryFailed`` (or a subclass) when it could not."""
        ...
