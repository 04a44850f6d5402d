from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.facilitators.models import Facilitator

cohort_facilitators = Table(
    "cohort_facilitators",
    Base.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("facilitator_id", ForeignKey("facilitators.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    program_id: Mapped[str] = mapped_column(String(100))
    # A snapshot of the program definition, so later edits of the YAML file
    # never change the meaning of maps already collected.
    program: Mapped[dict[str, Any]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(5), default="en")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    facilitators: Mapped[list[Facilitator]] = relationship(secondary=cohort_facilitators)
    participants: Mapped[list[Participant]] = relationship(
        back_populates="cohort",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Participant.name",
    )
    sessions: Mapped[list[CohortSession]] = relationship(
        back_populates="cohort",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CohortSession.number",
    )


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("cohort_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    organization: Mapped[str | None] = mapped_column(String(200))
    function: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="participants")


class CohortSession(Base):
    """One monthly meeting of a cohort, e.g. month 3 of 8, with a deadline for maps."""

    __tablename__ = "sessions"
    __table_args__ = (UniqueConstraint("cohort_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | closed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="sessions")
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True
    )


class Invitation(Base):
    """A participant's personal link for one session.

    Only the SHA-256 of the link token is stored. The token itself is an HMAC of
    `token_nonce` under SECRET_KEY, so the facilitator can be shown the link again
    while a copy of the database alone reveals no link.
    """

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_status: Mapped[str] = mapped_column(
        String(20), default="not_sent"
    )  # not_sent|sent|failed
    email_error: Mapped[str | None] = mapped_column(String(500))
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    session: Mapped[CohortSession] = relationship(back_populates="invitations")
    participant: Mapped[Participant] = relationship()
