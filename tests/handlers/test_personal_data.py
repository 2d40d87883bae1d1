"""/mydata sends everything stored; /forget leaves no personal field anywhere in the database."""

from __future__ import annotations

import json

from sqlalchemy import func, inspect, select, text

from bot.app import App, build_app
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.messages import Incoming
from bot.db.models import Base, Question, QuizEntry, Registration, SharedFile, User
from bot.runtime import retention
from bot.scheduling.housekeeping import Housekeeping
from bot.services.answers import Answerer
from handlers.staff import CSV
from handlers.staff_questions import REPLY
from tests.chat import Chat
from tests.handlers.test_registration import fill_tour

PERSONAL = ["Kim Minji", "Guest A", "kim@example.org", "user-kim", "Minji K."]


async def dump_database(app: App) -> str:
    """Every value of every row of every table, as one text."""
    values: list[str] = []
    async with app.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        for table in tables:
            for row in (await connection.execute(text(f'SELECT * FROM "{table}"'))).all():
                values += [str(value) for value in row]
    return "\n".join(values)


async def test_mydata_then_forget(app: App) -> None:
    chat = Chat(app.dispatcher, user_id="user-kim")
    await app.dispatcher.handle(Incoming("test", "user-kim", "user-kim", text="/start", display_name="Minji K."))
    await fill_tour(chat, "spring-2027-co-loa", "Kim Minji", guests=1)
    await chat.press_payload("register:spring-2027-chua-thay")
    await chat.send("Kim Minji")  # a form in progress is personal data too
    await Chat(app.dispatcher, user_id="admin").press_payload("sqzset:thang-long-2027:open")
    await chat.press_payload("qzgo:thang-long-2027")
    await chat.press_payload("qzname:thang-long-2027:yes:play")  # her name may show on the leaderboard
    before = await dump_database(app)
    assert all(value in before for value in PERSONAL)

    await chat.send("/mydata")
    attachment = chat.last[0].attachment
    assert attachment is not None
    assert attachment.filename.endswith(".json")
    exported = json.loads(attachment.content)
    assert exported["user"]["display_name"] == "Minji K."
    assert exported["registrations"][0]["details"]["name"] == "Kim Minji"
    assert [entry["show_name"] for entry in exported["quiz_entries"]] == [True]
    assert [played["counted"] for played in exported["quiz_rounds"]] == [True]

    await chat.send("/forget")
    assert "Continue?" in chat.text
    await chat.press("Yes, erase my data")
    assert "erased" in chat.text
    database = await dump_database(app)
    leftovers = [value for value in PERSONAL if value in database]
    assert leftovers == []
    async with app.sessions() as session:
        registration = (await session.scalars(select(Registration))).one()
    assert (registration.status, registration.seats) == ("cancelled", 2), "anonymous counts stay"
    async with app.sessions() as session:
        forgotten = (await session.scalars(select(User).where(User.external_id.like("forgotten-%")))).one()
    assert (forgotten.announcements, forgotten.bulletin) == (False, False), "nothing is broadcast to them"
    async with app.sessions() as session:
        assert (await session.scalars(select(QuizEntry.show_name))).all() == [False], "a participant number now"
    async with app.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert set(Base.metadata.tables) <= set(tables), "every table was inspected"


LAN = ["Tran Thi Lan", "tran@example.org", "+84 912 345 678", "Ms Lan replies"]
"""Her name and e-mail (in the forms; ASCII, as JSON columns escape the rest), the phone she typed in a
question, and a staff reply that names her."""


async def test_forget_leaves_no_trace_in_questions_replies_digests_faq_candidates_files_or_audit(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> None:
    app = await build_app(settings.model_copy(update={"public_url": "https://bot.example.org"}), clock=clock,
                          detector=detector, answerer=answerer)  # fmt: skip
    try:
        lan = Chat(app.dispatcher, user_id="user-lan")
        await fill_tour(lan, "spring-2027-co-loa", "Tran Thi Lan")
        await lan.send("Could someone call me at +84 912 345 678 about a visa letter for my mother?")
        await lan.press("staff")
        async with app.sessions() as session:
            question = (await session.scalars(select(Question))).one()
        admin = Chat(app.dispatcher, user_id="admin")
        await admin.press_payload(f"{REPLY}:{question.id}")
        await admin.send("Ms Lan replies: we will call you tomorrow morning.")
        await admin.press("FAQ candidate")
        await admin.press_payload(f"{CSV}:spring-2027-co-loa")  # an export naming her, and its audit entry
        await Housekeeping(app.sessions, app.published, clock, app.settings.zone,
                           retention=retention(app.settings)).send_digests()  # fmt: skip
        zalo_lan = Chat(app.dispatcher, channel="zalo", user_id="zalo-lan")
        await fill_tour(zalo_lan, "spring-2027-chua-thay", "Tran Thi Lan")
        await zalo_lan.send("/mydata")  # a file link on Zalo: the export is kept in the database for a day
        faq_candidates = settings.data_dir / "faq-candidates.yaml"
        before = await dump_database(app) + faq_candidates.read_text(encoding="utf-8")
        assert all(value in before for value in LAN), [value for value in LAN if value not in before]
        async with app.sessions() as session:
            [shared] = (await session.scalars(select(SharedFile))).all()
            assert (shared.filename.endswith(".json"), shared.user_id is not None) == (True, True)

        for person in (lan, zalo_lan):
            await person.send("/forget")
            await person.press("Yes, erase my data")
            assert "erased" in person.text
        database = await dump_database(app)
        assert [value for value in LAN if value in database] == []
        assert [value for value in LAN if value in faq_candidates.read_text(encoding="utf-8")] == []
        async with app.sessions() as session:
            kept = (await session.scalars(select(Question))).one()
            assert (kept.text, kept.reply, kept.status) == ("", None, "answered"), "an anonymous count stays"
            assert await session.scalar(select(func.count()).select_from(SharedFile)) == 0
    finally:
        await app.close()
