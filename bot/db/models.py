"""The tables: users and their dialog state. Later features add their own, each with a migration."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints alike everywhere."""

    metadata = MetaData(naming_convention=NAMING)


class Role(StrEnum):
    """What a user may do."""

    USER = "user"
    STAFF = "staff"
    ADMIN = "admin"


class User(Base):
    """A person on one channel."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        CheckConstraint("role IN ('user', 'staff', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(128))
    language: Mapped[str | None] = mapped_column(String(8), doc="the user's own choice")
    seen_language: Mapped[str | None] = mapped_column(String(8), doc="last platform hint or detected language")
    role: Mapped[str] = mapped_column(String(8), default=Role.USER)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    announcements: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true(),
                                                doc="receives announcements (until they leave them)")  # fmt: skip
    bulletin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(),
                                           doc="subscribed to the bulletin")  # fmt: skip
    dialog_state: Mapped[DialogState | None] = relationship(
        lazy="joined", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_staff(self) -> bool:
        """Staff and administrators."""
        return self.role in (Role.STAFF, Role.ADMIN)


class DialogState(Base):
    """Which step of which form a user is in, with the answers so far."""

    __tablename__ = "dialog_states"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ShownButtons(Base):
    """The buttons last shown to a user on a platform without buttons, as ``[label, payload]`` pairs in
    their numbered order: typing a number (or a label) presses one, after a restart and on any worker."""

    __tablename__ = "shown_buttons"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    buttons: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    shown_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class SharedFile(Base):
    """An attachment a channel that cannot upload links to instead: served under a signed link until
    ``expires_at``, for one purpose (a ticket, an export, a calendar file)."""

    __tablename__ = "shared_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(128))
    mime_type: Mapped[str] = mapped_column(String(128))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True,
                                                doc="whom it was sent to (erased with their data)")  # fmt: skip


class StaffInvite(Base):
    """A one-time link that makes whoever opens it staff; only the token's hash is kept."""

    __tablename__ = "staff_invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class Broadcast(Base):
    """An announcement to an audience; each recipient's delivery is an outbox row about ``broadcast:<id>``."""

    __tablename__ = "broadcasts"
    __table_args__ = (CheckConstraint("status IN ('active', 'paused', 'stopped')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    texts: Mapped[dict[str, str]] = mapped_column(JSON)
    button: Mapped[str | None] = mapped_column(String(64))
    audience: Mapped[str] = mapped_column(String(80))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    recipients: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="active", server_default="active",
                                        doc="active, paused or stopped")  # fmt: skip


class Offering(Base):
    """Seats of a course or tour: the capacity from the content and the seats taken, counted atomically."""

    __tablename__ = "offerings"
    __table_args__ = (CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), doc="as last seen in the content")
    schedule: Mapped[str | None] = mapped_column(String(200), doc="every time of it, to notice changes")


class RegistrationStatus(StrEnum):
    """Where a registration stands."""

    CONFIRMED = "confirmed"
    PENDING = "pending"  # waiting for staff approval, seats held
    WAITING = "waiting"  # on the waiting list
    OFFERED = "offered"  # seats freed up and offered, seats held until the offer expires
    CANCELLED = "cancelled"
    DECLINED = "declined"  # by staff, or an offer the user turned down


ACTIVE_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.PENDING,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
)
HOLDING_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING, RegistrationStatus.OFFERED)


class Registration(Base):
    """One person's place (and their guests') on a course or tour."""

    __tablename__ = "registrations"
    __table_args__ = (
        Index(
            "uq_registrations_active",
            "user_id",
            "offering_id",
            unique=True,
            sqlite_where=text("status IN ('confirmed', 'pending', 'waiting', 'offered')"),
            postgresql_where=text("status IN ('confirmed', 'pending', 'waiting', 'offered')"),
        ),
        Index("ix_registrations_queue", "offering_id", "status", "id"),
        CheckConstraint(
            "status IN ('confirmed', 'pending', 'waiting', 'offered', 'cancelled', 'declined')", name="status"
        ),
        CheckConstraint("seats >= 1", name="seats"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    offering_id: Mapped[str] = mapped_column(ForeignKey("offerings.id"))
    status: Mapped[str] = mapped_column(String(10))
    seats: Mapped[int] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, doc="personal answers of the form")
    consent_version: Mapped[str | None] = mapped_column(String(16))
    consented_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    ticket_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    offer_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    erased_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    coming_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), doc="answered 'Still coming?'")


class AuditEntry(Base):
    """Who did what, and when: every staff action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)


class OutboxStatus(StrEnum):
    """Where a message the bot starts itself stands."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    HELD = "held"
    """Kept back (a paused broadcast) until released."""


class OutboxMessage(Base):
    """A message the bot starts itself, durable before it is sent; rendered at send time in the
    recipient's language then."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "priority", "due_at"),
        Index("ix_outbox_subject", "subject", "status"),
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled', 'held')", name="status"
        ),
        CheckConstraint("attempts >= 0", name="attempts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    template: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    priority: Mapped[int] = mapped_column(
        SmallInteger,
        default=1,
        server_default="1",
        doc="claimed in this order: 1 for one person, 2 for a broadcast's copies",
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    platform_message_id: Mapped[str | None] = mapped_column(String(64))
    dedup_key: Mapped[str] = mapped_column(String(128), unique=True)
    subject: Mapped[str | None] = mapped_column(String(64), doc="what it is about, e.g. registration:42")
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), doc="skipped, not sent, after this")
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), doc="lease of the sending process")


class QuestionStatus(StrEnum):
    """Where a question the bot could not answer well stands."""

    UNANSWERED = "unanswered"  # the bot did not know; logged for the digest
    LOW_CONFIDENCE = "low"  # answered, but unsure; logged for the digest
    QUEUED = "queued"  # the user asked for staff
    ANSWERED = "answered"  # staff replied


class Question(Base):
    """A question typed to the bot that it could not answer with confidence."""

    __tablename__ = "questions"
    __table_args__ = (
        Index("ix_questions_status", "status", "id"),
        CheckConstraint("status IN ('unanswered', 'low', 'queued', 'answered')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(2000))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10))
    best_id: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reply: Mapped[str | None] = mapped_column(String(4000))
    replied_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    faq_candidate: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    replied_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class SendRate(Base):
    """A channel's sending rate, shared by every process that sends on it (``bot.channels.pacing``);
    instants in epoch seconds."""

    __tablename__ = "send_rates"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float, doc="the first slot nobody has taken")
    rate: Mapped[float] = mapped_column(Float, doc="messages a second at `since`")
    since: Mapped[float] = mapped_column(Float)
    paused_until: Mapped[float] = mapped_column(Float, doc="the end of the last 429's pause")


class ReceivedMessage(Base):
    """A message a platform without update ids (Zalo) delivered, remembered so that a repeat is skipped."""

    __tablename__ = "received_messages"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)


class MonthlySends(Base):
    """Messages sent on a channel in one month (``YYYY-MM``, local time), for a platform's monthly quota."""

    __tablename__ = "monthly_sends"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    sent: Mapped[int] = mapped_column(Integer)


class WebchatMessage(Base):
    """One message of a web chat conversation, kept on the server so that a reload, another tab or the next
    day shows the history: the visitor's (``user``) or the bot's, as the widget draws it."""

    __tablename__ = "webchat_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, doc="increasing: the event id of the stream")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(4), doc="bot or user")
    body: Mapped[dict[str, Any]] = mapped_column(JSON, doc="text, buttons, image, venue, as the widget draws them")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)


class AccountLink(Base):
    """A web chat visitor's account on another app (Telegram), where the messages the bot starts then go."""

    __tablename__ = "account_links"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    linked_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class QuizContestState(Base):
    """A contest staff opened or closed by hand (otherwise its dates in ``quiz.yaml`` say), and the broadcast
    that announced its winners."""

    __tablename__ = "quiz_contests"
    __table_args__ = (CheckConstraint("status IN ('open', 'closed')", name="status"),)

    contest_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(8))
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    announced_by_broadcast: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id", ondelete="SET NULL"))


class QuizEntry(Base):
    """One person's part in a contest: whether their name may appear on its leaderboard. The id is the
    number shown for those who did not agree ("Participant 17")."""

    __tablename__ = "quiz_entries"
    __table_args__ = (UniqueConstraint("contest_id", "user_id", name="uq_quiz_entries_contest_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contest_id: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    show_name: Mapped[bool] = mapped_column(Boolean, server_default=false())
    joined_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class QuizRound(Base):
    """A round of questions one person plays. The first round of an entry is the one that counts; later ones
    are replays for fun."""

    __tablename__ = "quiz_rounds"
    __table_args__ = (
        Index("uq_quiz_rounds_counted", "entry_id", unique=True, sqlite_where=text("counted"),
              postgresql_where=text("counted")),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("quiz_entries.id", ondelete="CASCADE"), index=True)
    counted: Mapped[bool] = mapped_column(Boolean)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)
    score: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    seconds: Mapped[float] = mapped_column(Float, server_default=text("0"), doc="time taken over the questions")


class QuizOutcome(StrEnum):
    """How a question of a round ended."""

    RIGHT = "right"
    WRONG = "wrong"
    LATE = "late"
    """Answered after its time: not counted."""
    TIMEOUT = "timeout"
    """Not answered in its time."""


class QuizAnswer(Base):
    """One question of a round: the options in the order this person saw them, when it was asked, in which
    language, and how it ended."""

    __tablename__ = "quiz_answers"
    __table_args__ = (
        UniqueConstraint("round_id", "position", name="uq_quiz_answers_round_position"),
        CheckConstraint("outcome IN ('right', 'wrong', 'late', 'timeout')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("quiz_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    question_id: Mapped[str] = mapped_column(String(40), index=True)
    shown: Mapped[str] = mapped_column(String(12), doc="the option keys in the order shown")
    language: Mapped[str | None] = mapped_column(String(2))
    asked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    chosen: Mapped[str | None] = mapped_column(String(1))
    outcome: Mapped[str | None] = mapped_column(String(8))


class SentPoll(Base):
    """A native poll the bot sent (Telegram), with the payload each of its options stands for: an answer to
    the poll arrives with the poll's id only, on whichever worker."""

    __tablename__ = "sent_polls"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payloads: Mapped[list[str]] = mapped_column(JSON)
    sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
