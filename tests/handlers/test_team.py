"""Roles: administrators (from ADMINS) grant and revoke the staff role by id, forwarded message or one-time
invite link; everyone else is refused at every step, forged presses included; every change is audited."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from bot.app import App
from bot.core.clock import FakeClock
from bot.core.messages import Incoming
from bot.db.models import AuditEntry, User
from tests.chat import Chat

ADMIN_STEPS = ["/team", "teamadd", "teaminvite", "teamrevoke:1"]


async def role_of(app: App, external_id: str) -> str:
    async with app.sessions() as session:
        user = (await session.scalars(select(User).where(User.external_id == external_id))).one()
    return user.role


async def audit(app: App) -> list[tuple[str, str]]:
    async with app.sessions() as session:
        entries = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(entry.action, entry.target) for entry in entries.all()]


async def test_only_administrators_manage_the_team_in_their_language(app: App) -> None:
    for language, refusal in [("en", "only administrators"), ("fr", "administrateurs"), ("ja", "管理者")]:
        someone = Chat(app.dispatcher, user_id=f"1{len(language)}{language}", language_hint=language)
        await someone.send("/start")
        for step in ADMIN_STEPS:
            replies = await (someone.send(step) if step.startswith("/") else someone.press_payload(step))
            assert refusal in replies[0].text, (language, step, replies[0].text)
    staff_member = Chat(app.dispatcher, user_id="2001")
    await staff_member.send("/start")
    admin = Chat(app.dispatcher, user_id="admin")
    await admin.press_payload("teamadd")
    await admin.send("2001")
    assert await role_of(app, "2001") == "staff"
    for step in ADMIN_STEPS:
        replies = await (staff_member.send(step) if step.startswith("/") else staff_member.press_payload(step))
        assert "only administrators" in replies[0].text, step
    assert [action for action, _ in await audit(app)] == ["grant-staff"]


async def test_grant_by_id_or_forwarded_message_and_revoke_once(app: App) -> None:
    for person in ("3001", "3002"):
        await Chat(app.dispatcher, user_id=person).send("/start")
    admin = Chat(app.dispatcher, user_id="admin")
    await admin.send("/team")
    await admin.press("Add staff")
    await admin.send("not a number")
    assert "digits only" in admin.text
    await admin.send("9999")
    assert "has not written to the bot yet" in admin.text
    await admin.send("3001")  # still adding: another id
    assert "is now staff" in admin.text
    await admin.press("Add staff")
    forwarded = await admin.dispatcher.handle(
        Incoming("test", "admin", "admin", text="Chào chị, em gửi lịch họp.", forwarded_from="3002")
    )
    assert "is now staff" in forwarded[0].text
    assert (await role_of(app, "3001"), await role_of(app, "3002")) == ("staff", "staff")

    await admin.send("/team")
    revoke = next(b for b in admin.buttons() if "Revoke" in b.label and "3001" in b.label)
    await admin.press_payload(revoke.payload or "")
    assert "no longer staff" in admin.text
    await admin.press_payload(revoke.payload or "")  # pressed again, or replayed
    assert "not staff (any more)" in admin.text
    assert await role_of(app, "3001") == "user"
    assert [action for action, _ in await audit(app)] == ["grant-staff", "grant-staff", "revoke-staff"]


async def test_an_invite_link_works_once_and_lapses(app: App, clock: FakeClock) -> None:
    admin = Chat(app.dispatcher, user_id="admin")
    await admin.send("/team")
    await admin.press("Invite link")
    [start] = re.findall(r"/start staff-[\w-]+", admin.text)
    newcomer = Chat(app.dispatcher, user_id="4001", language_hint="vi")
    await newcomer.send(start)
    assert await role_of(app, "4001") == "staff"
    assert "/staff" in newcomer.text
    latecomer = Chat(app.dispatcher, user_id="4002")
    await latecomer.send(start)
    assert "expired or was already used" in latecomer.text
    assert await role_of(app, "4002") == "user"
    forged = Chat(app.dispatcher, user_id="4003")
    await forged.send(start[:-3] + "abc")
    assert await role_of(app, "4003") == "user"

    await admin.press_payload("teaminvite")
    [second] = re.findall(r"/start staff-[\w-]+", admin.text)
    clock.advance(dt.timedelta(hours=49))
    await latecomer.send(second)
    assert "expired" in latecomer.text
    assert await role_of(app, "4002") == "user"
    assert [action for action, _ in await audit(app)] == ["invite-staff", "grant-staff", "invite-staff"]
