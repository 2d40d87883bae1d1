"""/mydata sends everything stored; /forget leaves no personal field anywhere in the database."""

from __future__ import annotations

import json

from sqlalchemy import inspect, select, text

from bot.app import App
from bot.core.messages import Incoming
from bot.db.models import Base, Registration, User
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
    before = await dump_database(app)
    assert all(value in before for value in PERSONAL)

    await chat.send("/mydata")
    attachment = chat.last[0].attachment
    assert attachment is not None
    assert attachment.filename.endswith(".json")
    exported = json.loads(attachment.content)
    assert exported["user"]["display_name"] == "Minji K."
    assert exported["registrations"][0]["details"]["name"] == "Kim Minji"

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
    async with app.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert set(Base.metadata.tables) <= set(tables), "every table was inspected"
