"""The Thăng Long – Hà Nội quiz: contests opened or closed by staff, entries, rounds and their answers; and
the native polls the bot sent, so that an answer arriving with a poll's id finds its question.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sent_polls",
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("poll_id", sa.String(length=64), nullable=False),
        sa.Column("payloads", sa.JSON(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "poll_id", name=op.f("pk_sent_polls")),
    )
    op.create_index(op.f("ix_sent_polls_sent_at"), "sent_polls", ["sent_at"])
    op.create_table(
        "quiz_contests",
        sa.Column("contest_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("announced_by_broadcast", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_quiz_contests_status")),
        sa.ForeignKeyConstraint(["announced_by_broadcast"], ["broadcasts.id"],
                                name=op.f("fk_quiz_contests_announced_by_broadcast_broadcasts"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["changed_by"], ["users.id"], name=op.f("fk_quiz_contests_changed_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("contest_id", name=op.f("pk_quiz_contests")),
    )  # fmt: skip
    op.create_table(
        "quiz_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("show_name", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("joined_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_quiz_entries_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_entries")),
        sa.UniqueConstraint("contest_id", "user_id", name="uq_quiz_entries_contest_user"),
    )  # fmt: skip
    op.create_index(op.f("ix_quiz_entries_contest_id"), "quiz_entries", ["contest_id"])
    op.create_index(op.f("ix_quiz_entries_user_id"), "quiz_entries", ["user_id"])
    op.create_table(
        "quiz_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("score", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("seconds", sa.Float(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["quiz_entries.id"], name=op.f("fk_quiz_rounds_entry_id_quiz_entries"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_rounds")),
    )  # fmt: skip
    op.create_index(op.f("ix_quiz_rounds_entry_id"), "quiz_rounds", ["entry_id"])
    op.create_index(op.f("ix_quiz_rounds_finished_at"), "quiz_rounds", ["finished_at"])
    op.create_index("uq_quiz_rounds_counted", "quiz_rounds", ["entry_id"], unique=True,
                    sqlite_where=sa.text("counted"), postgresql_where=sa.text("counted"))  # fmt: skip
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("question_id", sa.String(length=40), nullable=False),
        sa.Column("shown", sa.String(length=12), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("asked_at", UtcDateTime(), nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("chosen", sa.String(length=1), nullable=True),
        sa.Column("outcome", sa.String(length=8), nullable=True),
        sa.CheckConstraint("outcome IN ('right', 'wrong', 'late', 'timeout')", name=op.f("ck_quiz_answers_outcome")),
        sa.ForeignKeyConstraint(["round_id"], ["quiz_rounds.id"], name=op.f("fk_quiz_answers_round_id_quiz_rounds"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_answers")),
        sa.UniqueConstraint("round_id", "position", name="uq_quiz_answers_round_position"),
    )  # fmt: skip
    op.create_index(op.f("ix_quiz_answers_question_id"), "quiz_answers", ["question_id"])
    op.create_index(op.f("ix_quiz_answers_round_id"), "quiz_answers", ["round_id"])


def downgrade() -> None:
    op.drop_table("quiz_answers")
    op.drop_table("quiz_rounds")
    op.drop_table("quiz_entries")
    op.drop_table("quiz_contests")
    op.drop_table("sent_polls")
