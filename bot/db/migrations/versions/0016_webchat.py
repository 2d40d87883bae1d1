"""The web chat's conversations, kept on the server.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webchat_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=4), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_webchat_messages_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webchat_messages")),
    )  # fmt: skip
    op.create_index(op.f("ix_webchat_messages_user_id"), "webchat_messages", ["user_id"])
    op.create_index(op.f("ix_webchat_messages_created_at"), "webchat_messages", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_webchat_messages_created_at"), table_name="webchat_messages")
    op.drop_index(op.f("ix_webchat_messages_user_id"), table_name="webchat_messages")
    op.drop_table("webchat_messages")
