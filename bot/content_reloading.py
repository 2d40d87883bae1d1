"""Publishing edited content without a restart: ``haufo-bot content reload``, SIGHUP, or the watched folder.

The folder is read and validated first. A bad edit leaves the content in use as it is, and every staff
member is told on their chat what is wrong, file and key. A good one is followed in the database the way a
restart follows it (moved times announced, their reminders moved, added seats offered), then published
in one step: the content, the reminder rules and a new answerer. Every process reloads by itself; staff
hear of each version once, and people of each moved time once, whichever process gets there first."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from bot.app import App
from bot.core.content import Content, check_content
from bot.core.content_version import ContentVersion, folder_signature
from bot.core.problems import Problem
from bot.services.answers import Answerer
from bot.services.content_updates import follow_content, tell_staff_rejected, tell_staff_reloaded
from bot.services.reminders import load_rules, rule_problems

log = logging.getLogger(__name__)

LOGGED_PROBLEMS: Final = 5


class Outcome(StrEnum):
    """What a reload did."""

    UNCHANGED = "unchanged"
    RELOADED = "reloaded"
    REJECTED = "rejected"
    UNSETTLED = "unsettled"
    """The files changed while being read: the next look tries again."""


@dataclass(frozen=True)
class Reload:
    """A reload's outcome, the files it published and the people told of a new time; or the problems."""

    outcome: Outcome
    files: tuple[str, ...] = ()
    told: int = 0
    problems: tuple[Problem, ...] = ()


def checked(directory: Path) -> tuple[Content | None, list[Problem]]:
    """The content in ``directory`` (its quiz included) and its reminder rules, checked as a restart checks
    them."""
    content, problems = check_content(directory)
    problems += rule_problems(directory)
    return (content if not problems else None), problems


class ContentReloader:
    """Reloads one process's content: on request, or when the folder changed and then stayed as it is."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._directory = app.settings.content_dir
        self._lock = asyncio.Lock()
        self._requested = asyncio.Event()
        self._rejected: str | None = None

    def request(self) -> None:
        """Reload at once (SIGHUP)."""
        self._requested.set()

    async def reload(self) -> Reload:
        """Read the folder; publish it when it is valid and differs from the content in use."""
        async with self._lock:
            version = await asyncio.to_thread(ContentVersion.of, self._directory)
            if version == self._app.published.version:
                return Reload(Outcome.UNCHANGED)
            content, problems = await asyncio.to_thread(checked, self._directory)
            if await asyncio.to_thread(ContentVersion.of, self._directory) != version:
                return Reload(Outcome.UNSETTLED)
            if content is None:
                await self._reject(version, problems)
                return Reload(Outcome.REJECTED, problems=tuple(problems))
            return await self._publish(content, version)

    async def _reject(self, version: ContentVersion, problems: list[Problem]) -> None:
        if self._rejected == version.digest:
            return
        self._rejected = version.digest
        shown = "; ".join(str(problem) for problem in problems[:LOGGED_PROBLEMS])
        log.warning("content not reloaded, %d problem(s): %s", len(problems), shown)
        app = self._app
        async with app.sessions() as session, session.begin():
            await tell_staff_rejected(session, version.digest, problems, app.clock.now())

    async def _publish(self, content: Content, version: ContentVersion) -> Reload:
        app, published = self._app, self._app.published
        rules = dataclasses.replace(published.rules, reminders=load_rules(self._directory))
        files = tuple(version.changed_since(published.version))
        answering, encoder = app.answering, app.answering.current.encoder
        answerer = answering.current
        if answering.rebuilt:
            answerer = await asyncio.to_thread(
                Answerer.build, content, semantic=False, cache_dir=app.settings.cache_dir, detector=app.detector
            )
        async with app.sessions() as session, session.begin():
            told = await follow_content(session, content, app.clock, app.settings.zone, rules)
            await tell_staff_reloaded(session, version.digest, files, told, app.clock.now())
        # one step, no await: no message is handled with half of the new content
        published.content, published.rules, published.version = content, rules, version
        answering.current, self._rejected = answerer, None
        if answering.rebuilt and app.settings.semantic_answers:
            app.upgrade_answers_in_background(encoder)
        log.info("content reloaded (%s); %d people told of a new time", ", ".join(files), told)
        return Reload(Outcome.RELOADED, files, told)

    async def watch(self) -> None:
        """Until cancelled: reload when asked, and when the folder changed and then stayed the same for one
        look (an editor saving in several writes is not caught half-way); with ``CONTENT_WATCH_SECONDS``
        at 0, only when asked."""
        every = self._app.settings.content_watch_seconds or None
        seen, changed = folder_signature(self._directory), True  # edited while the process started?
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._requested.wait(), every)
            now = await asyncio.to_thread(folder_signature, self._directory)
            if self._requested.is_set() or (changed and now == seen):
                self._requested.clear()
                changed = not await self._try()
            else:
                changed = changed or now != seen
            seen = now

    async def _try(self) -> bool:
        """Reload, logging a failure (the database away) instead of ending the watch; False to try again."""
        try:
            return (await self.reload()).outcome != Outcome.UNSETTLED
        except Exception:
            log.exception("content reload failed; trying again at the next look")
            return False
