"""Cohorts and their participants (the roster)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.analysis import Program
from app.core.db import Base, UTCDateTime, utcnow
from app.facilitators.models import Facilitator

if TYPE_CHECKING:
    from app.sessions.models import CohortSession

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
    # An IANA name: deadlines are the end of a day in this zone, and shown in it.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

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

    def program_definition(self) -> Program:
        """The program snapshot as the analysis core's model."""
        return Program.model_validate(self.program)


@lru_cache(maxsize=64)
def program_from_snapshot(snapshot: str) -> Program:
    """A cohort's program snapshot, as stored (JSON text), as the analysis core's model.

    Every participant request needs the program, and validating the ~25 kB snapshot
    costs more than the rest of a GET. Keyed by the text itself, so a cohort whose
    snapshot differs never gets another's model; the model is frozen and shared.
    """
    return Program.model_validate(json.loads(snapshot))


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="participants")
