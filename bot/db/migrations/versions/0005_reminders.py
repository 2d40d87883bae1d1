"""Reminders: outbox rows about a subject, with an expiry and a sending lease; reminder switches and
schedules as last seen in the content.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("expires_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", UtcDateTime(), nullable=True))
        batch_op.create_index("ix_outbox_subject", ["subject", "status"], unique=False)
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminders", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("coming_confirmed_at", UtcDateTime(), nullable=True))
    with op.batch_alter_table("offerings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("starts_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("schedule", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offerings", schema=None) as batch_op:
        batch_op.drop_column("schedule")
        batch_op.drop_column("starts_at")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("coming_confirmed_at")
        batch_op.drop_column("reminders")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_subject")
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("subject")
