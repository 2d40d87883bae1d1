"""A collecting channel for tests: send text, press buttons, read the replies."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.dispatcher import Dispatcher
from bot.core.messages import Button, Incoming, Priority, Reply

STATEFUL_PREFIXES = (
    "lang", "register", "regstep", "forget", "mycancel", "offer", "myremind", "coming", "eventremind",
)  # fmt: skip
"""Buttons that change something (language, forms, registrations); a walk of the menu tree leaves them out."""


def navigates(payload: str | None) -> bool:
    """True for a button that only moves around the menu tree."""
    return (bool(payload) and str(payload).split(":", 1)[0] not in STATEFUL_PREFIXES) or payload == "lang"


class Chat:
    """One user talking to the real dispatcher; keeps the latest replies to press their buttons."""

    def __init__(
        self, dispatcher: Dispatcher, *, user_id: str = "u1", channel: str = "test", language_hint: str | None = None,
        display_name: str | None = None,
    ) -> None:  # fmt: skip
        self.dispatcher = dispatcher
        self.user_id = user_id
        self.channel = channel
        self.language_hint = language_hint
        self.display_name = display_name
        self.last: list[Reply] = []

    async def send(self, text: str | None) -> list[Reply]:
        """Send a text message (None: a message without text, such as a sticker)."""
        return await self._deliver(self._incoming(text=text))

    async def press_payload(self, payload: str) -> list[Reply]:
        """Press a button with ``payload``, shown or not (a forged press)."""
        return await self._deliver(self._incoming(payload=payload))

    def _incoming(self, *, text: str | None = None, payload: str | None = None) -> Incoming:
        return Incoming(self.channel, self.user_id, self.user_id, text=text, payload=payload,
                        language_hint=self.language_hint, display_name=self.display_name)  # fmt: skip

    async def press(self, label: str) -> list[Reply]:
        """Press the button of the latest replies whose label contains ``label``."""
        return await self.press_payload(self.button(label).payload or "")

    def button(self, label: str) -> Button:
        """The one button of the latest replies whose label contains ``label``."""
        matches = [b for b in self.buttons() if label in b.label]
        if len(matches) != 1:
            raise AssertionError(f"{len(matches)} buttons match {label!r}: {[b.label for b in self.buttons()]}")
        return matches[0]

    def buttons(self) -> list[Button]:
        """Every button of the latest replies."""
        return [b for reply in self.last for b in reply.all_buttons()]

    @property
    def text(self) -> str:
        """The texts of the latest replies, joined."""
        return "\n".join(reply.text for reply in self.last)

    async def _deliver(self, message: Incoming) -> list[Reply]:
        self.last = await self.dispatcher.handle(message)
        return self.last


class CollectingChannel:
    """A channel that keeps what it was asked to send (messages the bot starts itself)."""

    name = "test"
    title = "Test"
    has_buttons = True

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[Reply]]] = []

    async def start(self) -> None:
        """Nothing to receive."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def send(self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE) -> None:
        """Keep the replies."""
        self.sent.append((chat_id, list(replies)))
