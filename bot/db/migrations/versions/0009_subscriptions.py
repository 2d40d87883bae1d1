"""Subscriptions: whether a user receives announcements (on unless they leave) and the bulletin (on request).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announcements", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("bulletin", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("bulletin")
        batch_op.drop_column("announcements")
