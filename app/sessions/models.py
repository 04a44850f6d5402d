"""Sessions (the monthly meetings of a cohort) and the personal links that open them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cohorts.models import Cohort, Participant
from app.core.db import Base, UTCDateTime, utcnow


class SessionStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # no more changes to maps


class EmailStatus(StrEnum):
    NOT_SENT = "not_sent"
    SENT = "sent"
    FAILED = "failed"


class CohortSession(Base):
    """One monthly meeting of a cohort, e.g. month 3 of 8, with a deadline for maps."""

    __tablename__ = "sessions"
    __table_args__ = (UniqueConstraint("cohort_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the pack was first downloaded for print: from then on a closed session stays closed.
    pack_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cohort: Mapped[Cohort] = relationship(back_populates="sessions")
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True
    )

    def as_of(self, today: date | None = None) -> date:
        """The session's "now" for every measure: its deadline day, or today while sooner.

        Reports and the dashboard share this rule, so they show the same figures;
        it also keeps a cached report valid for the whole day.
        """
        return min(self.deadline.date(), today or datetime.now(UTC).date())

    def deadline_passed(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) >= self.deadline


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_status: Mapped[str] = mapped_column(String(20), default=EmailStatus.NOT_SENT)
    email_error: Mapped[str | None] = mapped_column(String(500))
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[CohortSession] = relationship(back_populates="invitations")
    participant: Mapped[Participant] = relationship()
