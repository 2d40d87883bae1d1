"""Shared files know whom they were sent to, so that erasing a person's data erases their files too.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shared_files") as table:
        table.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        table.create_foreign_key("fk_shared_files_user_id_users", "users", ["user_id"], ["id"], ondelete="CASCADE")
        table.create_index("ix_shared_files_user_id", ["user_id"])


def downgrade() -> None:
    with op.batch_alter_table("shared_files") as table:
        table.drop_index("ix_shared_files_user_id")
        table.drop_constraint("fk_shared_files_user_id_users", type_="foreignkey")
        table.drop_column("user_id")
