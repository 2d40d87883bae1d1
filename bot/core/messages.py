"""What flows through the bot: an incoming message and the replies to it, independent of any platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Final

MAX_PAYLOAD_BYTES: Final = 64
PAYLOAD_SEPARATOR: Final = ":"


class Priority(IntEnum):
    """Which outgoing message goes first when a channel's sending budget is scarce (lower first)."""

    REPLY = 0
    """An answer to someone who just wrote."""
    NOTICE = 1
    """A message the bot starts for one person: a reminder, an offer, a staff reply."""
    BULK = 2
    """One of many copies of a broadcast."""


class InvalidPayload(ValueError):
    """A button payload that does not fit what its handler expects (forged, stale or malformed)."""


def make_payload(prefix: str, *args: str | int) -> str:
    """Join ``prefix`` and ``args`` into a button payload, refusing one over 64 bytes."""
    parts = [prefix, *(str(a) for a in args)]
    if any(PAYLOAD_SEPARATOR in p for p in parts):
        raise ValueError(f"payload parts may not contain {PAYLOAD_SEPARATOR!r}: {parts!r}")
    payload = PAYLOAD_SEPARATOR.join(parts)
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"payload longer than {MAX_PAYLOAD_BYTES} bytes: {payload!r}")
    return payload


NAME_LIMIT: Final = 128
"""The longest display name kept (Telegram's first and last names together may be 129 characters)."""


def cut(text: str | None, limit: int) -> str | None:
    """``text`` cut to ``limit`` characters before anything reads it (a channel's longest message)."""
    return text[:limit] if text is not None else None


@dataclass(frozen=True)
class Incoming:
    """One message, button press or platform event from a user, as every channel delivers it.

    ``event`` names what happened when it was not a message (``blocked``, ``unblocked``, ``location``);
    ``private`` is False in group chats; ``bot_link`` opens a private chat with the bot, where the
    platform has such links (Telegram: ``https://t.me/<bot>``); ``forwarded_from`` is the user id of the
    person whose message this forwards, when the platform reveals it.
    """

    channel: str
    user_id: str
    chat_id: str
    text: str | None = None
    payload: str | None = None
    language_hint: str | None = None
    display_name: str | None = None
    event: str | None = None
    location: tuple[float, float] | None = None
    private: bool = True
    bot_link: str | None = None
    forwarded_from: str | None = None
    raw: Any = field(default=None, compare=False, repr=False)

    @property
    def command(self) -> str | None:
        """The command of ``/start arg`` (``start``), without a ``@botname`` suffix; None for other text."""
        if not self.text or not self.text.startswith("/") or self.payload is not None:
            return None
        words = self.text[1:].split(maxsplit=1)
        if not words or self.text[1:2].isspace():
            return None
        return words[0].split("@", 1)[0].lower() or None

    @property
    def prefix(self) -> str | None:
        """The prefix of a button payload."""
        return None if self.payload is None else self.payload.split(PAYLOAD_SEPARATOR, 1)[0]

    @property
    def args(self) -> tuple[str, ...]:
        """The arguments after a payload's prefix or a command's name."""
        if self.payload is not None:
            return tuple(self.payload.split(PAYLOAD_SEPARATOR)[1:])
        if self.command is not None and self.text is not None:
            return tuple(self.text.split()[1:])
        return ()

    def arg(self, index: int) -> str:
        """Argument ``index``, or ``InvalidPayload`` when it is missing or empty."""
        try:
            value = self.args[index]
        except IndexError:
            raise InvalidPayload(f"argument {index} missing in {self.payload or self.text!r}") from None
        if not value:
            raise InvalidPayload(f"argument {index} empty in {self.payload or self.text!r}")
        return value

    def int_arg(self, index: int, *, minimum: int = 0, maximum: int = 10_000) -> int:
        """Argument ``index`` as a bounded integer, or ``InvalidPayload``."""
        value = self.arg(index)
        if not value.isascii() or not value.isdigit() or not minimum <= int(value) <= maximum:
            raise InvalidPayload(f"argument {index} is not a number in [{minimum}, {maximum}]: {value!r}")
        return int(value)


@dataclass(frozen=True)
class Button:
    """A button that sends ``payload`` back when pressed, or opens ``url``."""

    label: str
    payload: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.payload is None) == (self.url is None):
            raise ValueError("a button has either a payload or a url")
        if self.payload is not None and len(self.payload.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"button payload longer than {MAX_PAYLOAD_BYTES} bytes: {self.payload!r}")


@dataclass(frozen=True)
class Venue:
    """A place to show on a map."""

    title: str
    address: str
    latitude: float
    longitude: float
    map_url: str


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply."""

    filename: str
    content: bytes = field(repr=False)
    mime_type: str


@dataclass(frozen=True)
class QuizPoll:
    """A timed question with one right answer, for a platform with native quiz polls (Telegram): its
    options are the reply's buttons, in the order shown, and a platform without such polls shows the reply's
    text and buttons instead (the server keeps the time either way).

    ``correct`` are the positions of the right options among the buttons; ``header`` says which question
    of how many; ``seconds`` is how long the poll stays open."""

    question: str
    correct: tuple[int, ...]
    explanation: str
    seconds: int
    header: str = ""


@dataclass(frozen=True)
class Reply:
    """One message from the bot: text, buttons in rows, and optionally a venue or a file.

    ``replace`` hints that a channel which can edit messages may edit the card the
    pressed button belongs to instead of sending a new one. ``edits`` names an earlier message (by its
    platform id) that this reply corrects: a channel that can edit messages edits it in place, others send
    the reply as a new message. ``withdraws`` names an earlier message to delete: a channel that can delete
    it does and sends nothing, others send the reply's text instead. ``image_url`` is a picture the bot's
    web server publishes, for channels that take pictures by address only (a ticket's QR code on Zalo).
    ``poll`` makes the reply a quiz question on a platform with native quiz polls.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    venue: Venue | None = None
    attachment: Attachment | None = None
    replace: bool = False
    edits: str | None = None
    withdraws: str | None = None
    image_url: str | None = None
    poll: QuizPoll | None = None

    def all_buttons(self) -> list[Button]:
        """The buttons row by row, left to right."""
        return [button for row in self.buttons for button in row]
