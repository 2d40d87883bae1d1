"""What is kept only for a while goes at the nightly purge: sent messages and old audit entries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.app import App
from bot.core.clock import FakeClock
from bot.db.models import AuditEntry, OutboxMessage, User
from bot.scheduling.housekeeping import Housekeeping, Retention


async def test_sent_messages_and_old_audit_entries_are_purged_after_their_days(app: App, clock: FakeClock) -> None:
    now, day = clock.now(), dt.timedelta(days=1)
    async with app.sessions() as session, session.begin():
        user = User(channel="test", external_id="u", role="user", created_at=now, last_seen_at=now, blocked=False)
        session.add(user)
        await session.flush()
        rows = [("sent", 31, "old sent"), ("skipped", 40, "old skipped"), ("sent", 29, "recent sent"),
                ("pending", 40, "old pending"), ("held", 40, "old held")]  # fmt: skip
        session.add_all(
            OutboxMessage(user_id=user.id, channel="test", template="staff_reply", params={}, status=status,
                          attempts=1, due_at=now - days * day, dedup_key=key)
            for status, days, key in rows
        )  # fmt: skip
        session.add_all([AuditEntry(actor_id=user.id, action="grant", target="user:1", details={}, at=now - days * day)
                         for days in (731, 729)])  # fmt: skip
    housekeeping = Housekeeping(app.sessions, app.published, clock, app.settings.zone,
                                retention=Retention(180 * day, sent_messages=30 * day, audit=730 * day))  # fmt: skip
    await housekeeping.purge()
    async with app.sessions() as session:
        kept = set((await session.scalars(select(OutboxMessage.dedup_key))).all())
        audit = (await session.scalars(select(AuditEntry.at))).all()
    assert kept == {"recent sent", "old pending", "old held"}
    assert audit == [now - 729 * day]
