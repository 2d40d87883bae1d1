"""Content reloaded while the bot runs: a bad edit keeps the content in use and staff hear what is wrong,
file and key; a good one is published, and the people whose departure moved are told."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.content_reloading import ContentReloader, Outcome
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.db.models import OutboxMessage
from bot.running import registered, signal_running
from bot.runtime import reloading
from bot.scheduling.delivery import Delivery
from bot.services.answers import Answerer
from handlers.notices import NOTICES
from tests.chat import Chat, CollectingChannel
from tests.conftest import edit_content, postgresql_only
from tests.handlers.test_registration import fill_tour

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SON_TAY = "spring-2027-son-tay"  # departs 2027-02-20 07:30
DEPARTURE = 'departure: "07:30"\n  return: "17:30"'


async def delivered(app: App, clock: FakeClock) -> dict[str, str]:
    """Send what is due; the text each chat received, joined."""
    channel = CollectingChannel()
    await Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {"test": channel}, clock).send_due()
    received: dict[str, str] = {}
    for chat_id, replies in channel.sent:
        received[chat_id] = "\n".join([received.get(chat_id, ""), *(reply.text for reply in replies)]).strip()
    return received


async def reminders_due(app: App) -> list[dt.datetime]:
    async with app.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage.due_at).where(OutboxMessage.template == "reminder", OutboxMessage.status == "pending")
        )
        return sorted(rows.all())


async def test_a_broken_edit_keeps_the_content_and_tells_staff_then_the_fix_reaches_the_registrants(
    editable_app: App, content_dir: Path, clock: FakeClock
) -> None:
    app, reloader = editable_app, ContentReloader(editable_app)
    staff = Chat(app.dispatcher, user_id="admin", language_hint="en")
    await staff.send("/start")
    visitor = Chat(app.dispatcher, user_id="visitor", language_hint="en")
    await fill_tour(visitor, SON_TAY, "Claire Martin")
    await visitor.press_payload("lang:fr")
    await delivered(app, clock)  # what registering queued
    before = await reminders_due(app)

    edit_content(content_dir, DEPARTURE, 'return: "17:30"')  # staff delete the departure time by mistake
    result = await reloader.reload()
    assert result.outcome == Outcome.REJECTED
    assert [(p.file, p.key) for p in result.problems] == [("tours.yaml", f"{SON_TAY}.departure")]
    await visitor.press_payload(f"tour:{SON_TAY}")
    assert "07:30" in visitor.text, "the bot goes on with the content it had"
    received = await delivered(app, clock)
    assert set(received) == {"admin"}, "staff hear of it, nobody else"
    assert "was not published: it has 1 problem" in received["admin"]
    assert f"• tours.yaml, {SON_TAY}.departure: this field is missing" in received["admin"]
    assert (await reloader.reload()).outcome == Outcome.REJECTED
    assert await delivered(app, clock) == {}, "the same broken files are reported once"

    edit_content(content_dir, 'return: "17:30"', 'departure: "08:15"\n  return: "17:30"')  # fixed, and later
    result = await reloader.reload()
    assert (result.outcome, result.files, result.told) == (Outcome.RELOADED, ("tours.yaml",), 1)
    await visitor.press_payload(f"tour:{SON_TAY}")
    assert "8:15" in visitor.text and "7:30" not in visitor.text.split("\n\n")[0]
    received = await delivered(app, clock)
    assert received["visitor"].startswith("🕒 Nouvel horaire")
    french = app.catalogs.locale("fr")
    assert french.time(dt.datetime(2027, 2, 20, 8, 15, tzinfo=HANOI)) in received["visitor"]
    assert french.datetime(dt.datetime(2027, 2, 20, 7, 30, tzinfo=HANOI)) in received["visitor"], "the old time too"
    assert received["admin"] == (
        "✅ The edited content is published: tours.yaml.\n1 person has been told of a new time."
    )
    day_before, morning = before
    assert await reminders_due(app) == [day_before, morning + dt.timedelta(minutes=45)], "the morning one moved"
    assert (await reloader.reload()).outcome == Outcome.UNCHANGED
    assert await delivered(app, clock) == {}


PARKING = """
office-parking:
  question:
    vi: Văn phòng HAUFO có chỗ đỗ ô tô không?
    en: Is there car parking at the HAUFO office?
  answer:
    vi: Khách đến văn phòng HAUFO có thể đỗ ô tô trong sân, số 32 Quang Trung.
    en: Visitors to the HAUFO office may leave their car in the courtyard at 32 Quang Trung.
"""


async def test_a_reload_answers_from_the_new_content(
    settings: Settings, content_dir: Path, clock: FakeClock, detector: LanguageDetector
) -> None:
    app = await build_app(settings.model_copy(update={"content_dir": content_dir, "semantic_answers": False}),
                          clock=clock, detector=detector)  # fmt: skip
    try:
        visitor = Chat(app.dispatcher, user_id="visitor", language_hint="en")
        await visitor.send("Is there car parking at the HAUFO office?")
        assert "courtyard" not in visitor.text
        with (content_dir / "faq.yaml").open("a", encoding="utf-8") as faq:
            faq.write(PARKING)
        assert (await ContentReloader(app).reload()).outcome == Outcome.RELOADED
        await visitor.send("Is there car parking at the HAUFO office?")
        assert "leave their car in the courtyard at 32 Quang Trung" in visitor.text
    finally:
        await app.close()


async def wait_for(condition: object, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.02)):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("not within the time allowed")


async def test_the_running_bot_reloads_an_edited_folder_by_itself_and_on_sighup(
    editable_app: App, content_dir: Path
) -> None:
    app = editable_app
    app.settings.content_watch_seconds = 0.05
    async with reloading(app):
        edit_content(content_dir, DEPARTURE, DEPARTURE.replace("07:30", "08:00"))
        await wait_for(lambda: app.content.tours.get(SON_TAY).departure == "08:00")
        app.settings.content_watch_seconds = 0  # from now on, only when asked
    async with reloading(app):
        edit_content(content_dir, DEPARTURE.replace("07:30", "08:00"), DEPARTURE.replace("07:30", "08:30"))
        await asyncio.sleep(0.3)
        assert app.content.tours.get(SON_TAY).departure == "08:00", "not watched: nothing yet"
        os.kill(os.getpid(), signal.SIGHUP)
        await wait_for(lambda: app.content.tours.get(SON_TAY).departure == "08:30")


@postgresql_only
async def test_every_worker_reloads_and_people_and_staff_are_told_once(
    settings: Settings, content_dir: Path, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> None:
    edited = settings.model_copy(update={"content_dir": content_dir})
    first = await build_app(edited, clock=clock, detector=detector, answerer=answerer)
    second = await build_app(edited, clock=clock, detector=detector, answerer=answerer)
    try:
        await Chat(first.dispatcher, user_id="admin").send("/start")
        await fill_tour(Chat(second.dispatcher, user_id="visitor"), SON_TAY, "Claire Martin")
        await delivered(first, clock)
        edit_content(content_dir, DEPARTURE, DEPARTURE.replace("07:30", "09:00"))
        results = await asyncio.gather(ContentReloader(first).reload(), ContentReloader(second).reload())
        assert [result.outcome for result in results] == [Outcome.RELOADED, Outcome.RELOADED]
        assert sorted(result.told for result in results) == [0, 1], "one worker tells, the other finds it done"
        assert second.content.tours.get(SON_TAY).departure == first.content.tours.get(SON_TAY).departure == "09:00"
        received = await delivered(second, clock)
        assert received["visitor"].count("🕒 New time") == 1
        assert received["admin"].count("✅ The edited content is published") == 1
    finally:
        await first.close()
        await second.close()


def test_content_reload_checks_the_folder_then_signals_the_running_bots(tmp_path: Path, content_dir: Path) -> None:
    env = {**os.environ, "CONTENT_DIR": str(content_dir), "DATA_DIR": str(tmp_path / "data")}
    heard = tmp_path / "heard"
    # stands in for `python -m bot run`: records SIGHUP, as the bot reloads on it
    bot = subprocess.Popen(
        [sys.executable, "-c", "import pathlib, signal, sys, time\n"
         f"signal.signal(signal.SIGHUP, lambda *_: pathlib.Path({str(heard)!r}).write_text('HUP'))\n"
         "print('ready', flush=True)\ntime.sleep(30)", "-m", "bot", "run"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert bot.stdout is not None and bot.stdout.readline() == "ready\n"
        run = tmp_path / "data" / "run"
        run.mkdir(parents=True)
        (run / f"{bot.pid}.pid").write_text(f"{bot.pid}\n")
        (run / "999999999.pid").write_text("999999999\n")  # left by a bot that crashed

        edit_content(content_dir, DEPARTURE, 'return: "17:30"')
        broken = subprocess.run([sys.executable, "-m", "bot", "content", "reload"], env=env, capture_output=True,
                                text=True, cwd=tmp_path)  # fmt: skip
        assert broken.returncode == 1
        assert f"tours.yaml: {SON_TAY}.departure: Field required" in broken.stdout
        assert "the running bot goes on with the content it has" in broken.stderr
        assert not heard.exists(), "a broken folder is not sent to the bot"

        edit_content(content_dir, 'return: "17:30"', DEPARTURE)
        fixed = subprocess.run([sys.executable, "-m", "bot", "content", "reload"], env=env, capture_output=True,
                               text=True, cwd=tmp_path)  # fmt: skip
        assert fixed.returncode == 0, fixed.stderr
        assert "asked 1 running bot process(es) to reload it" in fixed.stdout
        for _ in range(250):
            if heard.exists():
                break
            time.sleep(0.02)
        assert heard.read_text() == "HUP"
        assert sorted(path.name for path in run.iterdir()) == [f"{bot.pid}.pid"], "the stale mark is gone"
    finally:
        bot.kill()
        bot.wait()


def test_a_running_bot_leaves_its_mark_while_it_runs(tmp_path: Path) -> None:
    with registered(tmp_path):
        assert (tmp_path / "run" / f"{os.getpid()}.pid").exists()
        assert signal_running(tmp_path) == 0, "a process does not signal itself"
    assert list((tmp_path / "run").iterdir()) == []
