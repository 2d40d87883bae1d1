"""``haufo-bot broadcast FILE.yaml --audience AUDIENCE [--at "YYYY-MM-DD HH:MM"] [--urgent] [--dry-run]``:
an announcement prepared with translators, previewed, sent now (with progress) or at a local time."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TextIO

from bot.app import App, build_app
from bot.config import Settings
from bot.core.content import load_content
from bot.core.languages import LANGUAGES
from bot.core.notices import Notice
from bot.db.models import Broadcast
from bot.runtime import configured_channels, open_channels
from bot.scheduling.delivery import Delivery
from bot.services.broadcasts import (
    Announcement,
    AnnouncementError,
    Audience,
    AudienceError,
    Broadcasts,
    Progress,
    parse_audience,
    read_announcement,
    text_for,
)
from bot.services.broadcasts.broadcasts import readers
from bot.services.unit_of_work import UnitOfWork
from handlers.notices import NOTICES, announcement, shown_as_text

PROGRESS_EVERY: Final = 1.0
"""Seconds between progress lines on standard error."""


class BroadcastProblem(ValueError):
    """Input that cannot be broadcast; said in one line, nothing queued."""


@dataclass(frozen=True)
class Request:
    """A checked ``haufo-bot broadcast`` command line."""

    announcement: Announcement
    audience: Audience
    urgent: bool
    due_at: dt.datetime | None


def parse_request(settings: Settings, file: Path, audience: str, at: str | None, urgent: bool) -> Request:
    """Check the file, the audience and the time; ``BroadcastProblem`` names the first thing wrong."""
    content = load_content(settings.content_dir)
    try:
        announcement = read_announcement(file, content)
        parsed = parse_audience(audience, content)
    except (AnnouncementError, AudienceError) as problem:
        raise BroadcastProblem(str(problem)) from None
    due_at = None
    if at is not None:
        try:
            due_at = dt.datetime.strptime(at, "%Y-%m-%d %H:%M").replace(tzinfo=settings.zone)
        except ValueError:
            raise BroadcastProblem(f'--at {at!r}: give the local time as "YYYY-MM-DD HH:MM"') from None
        if due_at <= dt.datetime.now(dt.UTC):
            raise BroadcastProblem(f"--at {at!r} has passed; leave --at out to send now")
    if not configured_channels(settings):
        raise BroadcastProblem("no channel is configured to send through: set TELEGRAM_TOKEN or ZALO_TOKEN")
    return Request(announcement, parsed, urgent, due_at)


async def preview(app: App, request: Request, out: TextIO) -> None:
    """Recipients per language, which text each group gets, and exactly what it receives."""
    channels = [spec.name for spec in configured_channels(app.settings)]
    async with app.sessions() as session:
        people = await Broadcasts(session, app.clock).audience(request.audience, urgent=request.urgent,
                                                               channels=channels)  # fmt: skip
        shortfalls = await UnitOfWork(session, app.services).quotas.shortfalls(people)
    groups = readers(people)
    print(f"Audience {request.audience}: {len(people)} recipients", file=out)
    for channel, (needed, left) in shortfalls.items():
        print(f"Warning: {channel} has {left} messages left this month and this broadcast needs {needed}; "
              f"broadcasts stop when a tenth of the monthly quota is left, and the remaining copies are not sent.",
              file=out)  # fmt: skip
    for language in LANGUAGES:
        if groups[language]:
            used, _text = text_for(request.announcement.texts, language)
            note = "" if used == language else f" (no {language} version)"
            print(f"{language}: {groups[language]} recipients get the {used} text{note}", file=out)
    shown = [lang for lang in LANGUAGES if groups[lang]] or [
        lang for lang in LANGUAGES if lang in request.announcement.texts
    ]
    for language in shown:
        notice = Notice(app.catalogs.locale(language), app.content)
        reply = announcement(request.announcement.texts, request.announcement.button, notice)
        print(f"\n--- {language} ---\n{shown_as_text(reply)}", file=out)


async def send_now(app: App, broadcast: Broadcast, delivery: Delivery, err: TextIO) -> Progress:
    """Deliver until every recipient's row is done, with a progress line on ``err`` every second or so."""
    started = last = time.monotonic()
    while True:
        await delivery.send_due()
        async with app.sessions() as session:
            progress = await Broadcasts(session, app.clock).progress(broadcast)
        if time.monotonic() - last >= PROGRESS_EVERY or progress.remaining == 0:
            last = time.monotonic()
            print(f"broadcast {broadcast.id}: sent {progress.sent}, blocked {progress.blocked}, "
                  f"failed {progress.failed}, remaining {progress.remaining} ({last - started:.0f} s)",
                  file=err, flush=True)  # fmt: skip
        if progress.remaining == 0:
            return progress
        await asyncio.sleep(0.2)


async def broadcast_command(settings: Settings, request: Request, *, dry_run: bool, out: TextIO,
                            err: TextIO) -> int:  # fmt: skip
    """Preview, schedule or send ``request``; the exit status."""
    app = await build_app(settings)
    try:
        if dry_run:
            await preview(app, request, out)
            return 0
        channels = await open_channels(app)
        try:
            async with app.sessions() as session, session.begin():
                broadcast = await Broadcasts(session, app.clock).send(
                    request.announcement, request.audience, urgent=request.urgent,
                    channels=[channel.name for channel in channels], due_at=request.due_at,
                )  # fmt: skip
            if request.due_at is not None:
                when = request.due_at.strftime("%Y-%m-%d %H:%M")
                print(f"BROADCAST id={broadcast.id} recipients={broadcast.recipients} scheduled={when}", file=out)
                return 0
            started = time.monotonic()
            delivery = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES,
                                {channel.name: channel for channel in channels}, app.clock,
                                lease=dt.timedelta(seconds=settings.outbox_lease_seconds))  # fmt: skip
            progress = await send_now(app, broadcast, delivery, err)
            seconds = time.monotonic() - started
            print(f"BROADCAST id={broadcast.id} recipients={progress.recipients} sent={progress.sent} "
                  f"blocked={progress.blocked} failed={progress.failed} seconds={seconds:.1f}", file=out)  # fmt: skip
            return 0
        finally:
            for channel in channels:
                await channel.close()
    finally:
        await app.close()
