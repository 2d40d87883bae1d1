"""A web chat visitor may link their account on another app, where the messages the bot starts then go.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_links",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("linked_user_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_account_links_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["linked_user_id"], ["users.id"], name=op.f("fk_account_links_linked_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_account_links")),
    )  # fmt: skip
    op.create_index(op.f("ix_account_links_linked_user_id"), "account_links", ["linked_user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_account_links_linked_user_id"), table_name="account_links")
    op.drop_table("account_links")
