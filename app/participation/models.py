from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, UTCDateTime, utcnow


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class LinkStatus(StrEnum):
    """Where a participant is in a session, as the dashboard shows it."""

    SUBMITTED = "submitted"
    DRAFT = "draft"
    OPENED = "opened"  # the link was opened, nothing saved yet
    NOT_OPENED = "not_opened"
    REVOKED = "revoked"


class Submission(Base):
    """A participant's map for one session: a draft until submitted.

    `map` is the validated interchange JSON; contacts and ties are also kept as
    rows so they can be queried. `version` guards against stale tabs.
    """

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=SubmissionStatus.DRAFT)
    map: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Ticks on the previous session's commitments: [{"text": ..., "contact": ..., "kept": bool}]
    commitment_review: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contacts: Mapped[list[SubmissionContact]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SubmissionContact.position"
    )
    ties: Mapped[list[SubmissionTie]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class SubmissionContact(Base):
    __tablename__ = "submission_contacts"
    __table_args__ = (UniqueConstraint("submission_id", "contact_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    contact_key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str | None] = mapped_column(String(20))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    origin: Mapped[str | None] = mapped_column(String(30))
    organization: Mapped[str | None] = mapped_column(String(20))
    function: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100))
    qualities: Mapped[list[str]] = mapped_column(JSON, default=list)
    closeness: Mapped[int | None] = mapped_column(Integer)
    last_contact: Mapped[str | None] = mapped_column(String(7))
    i_helped: Mapped[bool | None] = mapped_column(Boolean)
    they_helped: Mapped[bool | None] = mapped_column(Boolean)
    introduced: Mapped[bool | None] = mapped_column(Boolean)


class SubmissionTie(Base):
    __tablename__ = "submission_ties"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    source_key: Mapped[str] = mapped_column(String(64))
    target_key: Mapped[str] = mapped_column(String(64))
