"""Registrations, offerings (seats) and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offerings",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("seats_taken", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offerings")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("offering_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("consent_version", sa.String(length=16), nullable=True),
        sa.Column("consented_at", UtcDateTime(), nullable=True),
        sa.Column("ticket_code", sa.String(length=64), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("offer_expires_at", UtcDateTime(), nullable=True),
        sa.Column("checked_in_at", UtcDateTime(), nullable=True),
        sa.Column("erased_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["offering_id"], ["offerings.id"], name=op.f("fk_registrations_offering_id_offerings")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_registrations_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("ticket_code", name=op.f("uq_registrations_ticket_code")),
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index("ix_registrations_queue", ["offering_id", "status", "id"], unique=False)
        batch_op.create_index(
            "uq_registrations_active",
            ["user_id", "offering_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('confirmed', 'pending', 'waiting', 'offered')"),
            postgresql_where=sa.text("status IN ('confirmed', 'pending', 'waiting', 'offered')"),
        )


def downgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_registrations_active",
            sqlite_where=sa.text("status IN ('confirmed', 'pending', 'waiting', 'offered')"),
            postgresql_where=sa.text("status IN ('confirmed', 'pending', 'waiting', 'offered')"),
        )
        batch_op.drop_index("ix_registrations_queue")

    op.drop_table("registrations")
    op.drop_table("audit_log")
    op.drop_table("offerings")
