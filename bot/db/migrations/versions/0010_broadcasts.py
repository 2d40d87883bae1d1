"""Broadcasts: an announcement, its audience and when it goes out; each delivery is an outbox row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("button", sa.String(64), nullable=True),
        sa.Column("audience", sa.String(80), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_broadcasts_created_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_broadcasts"),
    )


def downgrade() -> None:
    op.drop_table("broadcasts")
