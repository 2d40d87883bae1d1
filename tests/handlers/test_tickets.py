"""A confirmed place comes with a calendar file at the right local time, and a QR ticket that decodes."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import zxingcpp
from icalendar import Calendar
from PIL import Image
from sqlalchemy import select

from bot.app import App
from bot.db.models import Registration
from tests.chat import Chat
from tests.handlers.test_registration import fill_tour

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


async def test_tour_calendar_and_ticket(app: App) -> None:
    chat = Chat(app.dispatcher, user_id="ticket-holder")
    await fill_tour(chat, "spring-2027-son-tay", "Lena Schmidt")
    await chat.press("My registrations")
    await chat.press("Sơn Tây")
    await chat.press("Add to calendar")
    attachment = chat.last[0].attachment
    assert attachment is not None
    assert attachment.mime_type == "text/calendar"
    event = next(c for c in Calendar.from_ical(attachment.content).walk("VEVENT"))
    assert event.decoded("dtstart") == dt.datetime(2027, 2, 20, 7, 30, tzinfo=HANOI)
    assert event.decoded("dtend") == dt.datetime(2027, 2, 20, 17, 30, tzinfo=HANOI)
    assert "Opera House" in str(event["location"])
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == -dt.timedelta(hours=2)

    chat.last = [chat.last[0]]
    await chat.press("My registrations")
    await chat.press("Sơn Tây")
    await chat.press("Ticket")
    image = chat.last[0].attachment
    assert image is not None
    decoded = [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.content)))]
    async with app.sessions() as session:
        registration = (await session.scalars(select(Registration))).one()
    assert registration.ticket_code is not None
    assert len(registration.ticket_code) >= 24, "unguessable"
    assert decoded == [f"checkin-{registration.ticket_code}"]

    staff = Chat(app.dispatcher, user_id="admin")  # ADMINS=test:admin
    await staff.send(f"/start {decoded[0]}")
    assert "Checked in: Lena Schmidt" in staff.text
    await staff.send(f"/start {decoded[0]}")
    assert "already checked in" in staff.text


async def test_course_calendar_repeats_every_class(app: App) -> None:
    chat = Chat(app.dispatcher, user_id="student")
    await chat.press_payload("register:vietnamese-beginner")
    for answer in ["Tom Baker", "British Embassy", "Attaché", "British", "tom@fcdo.gov.uk"]:
        await chat.send(answer)
    for button in ["Skip", "Complete beginner", "I agree", "Confirm", "My registrations", "Beginner", "calendar"]:
        await chat.press(button)
    attachment = chat.last[0].attachment
    assert attachment is not None
    event = next(c for c in Calendar.from_ical(attachment.content).walk("VEVENT"))
    assert event.decoded("dtstart") == dt.datetime(2027, 3, 2, 17, 30, tzinfo=HANOI)
    assert event.decoded("dtend") == dt.datetime(2027, 3, 2, 19, 0, tzinfo=HANOI)
    assert event["rrule"]["BYDAY"] == ["TU", "TH"]
    assert chat.last[0].all_buttons()
