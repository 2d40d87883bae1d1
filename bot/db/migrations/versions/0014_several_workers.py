"""Several workers on one database: indexes on the foreign keys PostgreSQL does not index itself (and on the
audit log's time, for its purge), and CHECK constraints on statuses, roles and seats.

The CHECK constraints are added on PostgreSQL, where several processes write at once. SQLite can add one
only by rebuilding the table, which it cannot do for tables other tables point to while their foreign keys
are enforced; it runs one process, whose code keeps the same rules.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_registrations_user_id", "registrations", "user_id"),
    ("ix_outbox_user_id", "outbox", "user_id"),
    ("ix_questions_user_id", "questions", "user_id"),
    ("ix_audit_log_actor_id", "audit_log", "actor_id"),
    ("ix_audit_log_at", "audit_log", "at"),
)
CHECKS = (
    ("users", "role", "role IN ('user', 'staff', 'admin')"),
    ("broadcasts", "status", "status IN ('active', 'paused', 'stopped')"),
    ("offerings", "seats", "seats_taken >= 0 AND seats_taken <= capacity"),
    ("registrations", "status", "status IN ('confirmed', 'pending', 'waiting', 'offered', 'cancelled', 'declined')"),
    ("registrations", "seats", "seats >= 1"),
    ("outbox", "status", "status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled', 'held')"),
    ("outbox", "attempts", "attempts >= 0"),
    ("questions", "status", "status IN ('unanswered', 'low', 'queued', 'answered')"),
)


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])
    if _on_postgresql():
        for table, name, condition in CHECKS:
            op.create_check_constraint(op.f(f"ck_{table}_{name}"), table, condition)


def downgrade() -> None:
    if _on_postgresql():
        for table, name, _ in reversed(CHECKS):
            op.drop_constraint(op.f(f"ck_{table}_{name}"), table, type_="check")
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table)
