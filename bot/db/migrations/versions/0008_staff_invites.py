"""Staff invites: one-time links an administrator hands out to make someone staff.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("used_by", sa.Integer(), nullable=True),
        sa.Column("used_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_staff_invites_created_by_users"),
        sa.ForeignKeyConstraint(["used_by"], ["users.id"], name="fk_staff_invites_used_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_staff_invites"),
        sa.UniqueConstraint("token_hash", name="uq_staff_invites_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("staff_invites")
