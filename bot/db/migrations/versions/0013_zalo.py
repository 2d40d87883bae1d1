"""Zalo: messages received from platforms without update ids, to skip repeats; messages sent per month,
for a platform's monthly quota.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_messages",
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("message_id", sa.String(64), primary_key=True),
        sa.Column("received_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_received_messages_received_at", "received_messages", ["received_at"])
    op.create_table(
        "monthly_sends",
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("sent", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("monthly_sends")
    op.drop_index("ix_received_messages_received_at", "received_messages")
    op.drop_table("received_messages")
