"""The console channel: chat with the bot in a terminal or through a pipe; buttons become numbers."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from starlette.routing import BaseRoute

from bot.channels.base import Reception
from bot.core.dispatcher import Dispatcher
from bot.core.messages import Incoming, Priority, Reply
from bot.core.numbered import pressable

BOT_PREFIX = "bot › "
USER_PREFIX = "you › "
INDENT = " " * len(BOT_PREFIX)


class ConsoleChannel:
    """One user talking to the dispatcher through standard input and output. It has no buttons: they print as
    ``[1] Label``, and a typed number reaches the dispatcher as text, which presses the button it names
    (``bot.conversation.middlewares.NumberedButtonsMiddleware``)."""

    name = "console"
    title = "console"
    has_buttons = False

    def __init__(
        self,
        dispatcher: Dispatcher[Any],
        *,
        user_id: str = "console",
        language_hint: str | None = None,
        stdin: TextIO,
        stdout: TextIO,
        downloads: Path,
    ) -> None:
        self._dispatcher = dispatcher
        self._user_id = user_id
        self._language_hint = language_hint
        self._stdin = stdin
        self._stdout = stdout
        self._downloads = downloads
        self._running = False

    @property
    def interactive(self) -> bool:
        """True when a person types at a terminal (then the terminal echoes their input)."""
        return self._stdin.isatty()

    async def start(self) -> None:
        """Read a message a line until end of input, printing the replies to each."""
        self._running = True
        if self.interactive:
            self._write("HAUFO bot: type a message or the number of a button; Ctrl-D quits.\n\n")
        while self._running:
            line = await asyncio.to_thread(self._read_line)
            if line is None:
                break
            line = line.strip()
            if not line:
                continue
            replies = await self._dispatcher.handle(self.incoming(line))
            await self.send(self._user_id, replies)

    async def stop(self) -> None:
        """Stop after the message in hand."""
        self._running = False

    def start_link(self, parameter: str) -> str | None:
        """A terminal has no links."""
        return None

    def reception(self) -> Reception:
        """Lines typed at the terminal: always there."""
        return Reception("console", time.time())

    def web_routes(self) -> Sequence[BaseRoute]:
        """The console serves nothing on the web."""
        return []

    async def close(self) -> None:
        """Nothing to release."""

    def incoming(self, line: str) -> Incoming:
        """A typed line as a message."""
        return Incoming(self.name, self._user_id, self._user_id, text=line, language_hint=self._language_hint)

    async def send(self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE) -> None:
        """Print ``replies``; their buttons are numbered from 1 across the whole batch."""
        first = 1
        for reply in replies:
            self._write(self.render(reply, first) + "\n\n")
            first += len(pressable([reply]))

    def render(self, reply: Reply, first: int = 1) -> str:
        """One reply as text: the message, its venue and file, and its buttons numbered from ``first``."""
        lines = reply.text.splitlines() or [""]
        if reply.venue is not None:
            lines += ["", f"📍 {reply.venue.title}: {reply.venue.address}", f"🗺 {reply.venue.map_url}"]
        if reply.attachment is not None:
            path = self._save(reply.attachment.filename, reply.attachment.content)
            lines += ["", f"📎 {reply.attachment.filename}: {path}"]
        number = first
        for row in reply.buttons:
            cells = []
            for button in row:
                if button.url is not None:
                    cells.append(f"{button.label} → {button.url}")
                else:
                    cells.append(f"[{number}] {button.label}")
                    number += 1
            lines.append("   ".join(cells))
        return BOT_PREFIX + f"\n{INDENT}".join(lines).replace(f"\n{INDENT}\n", "\n\n")

    def _save(self, filename: str, content: bytes) -> Path:
        self._downloads.mkdir(parents=True, exist_ok=True)
        path = self._downloads / re.sub(r"[^\w.-]", "_", filename)
        path.write_bytes(content)
        return path

    def _read_line(self) -> str | None:
        if self.interactive:
            try:
                return input(USER_PREFIX)
            except EOFError:
                return None
        line = self._stdin.readline()
        if not line:
            return None
        self._write(f"{USER_PREFIX}{line.rstrip()}\n")
        return line

    def _write(self, text: str) -> None:
        self._stdout.write(text)
        self._stdout.flush()
