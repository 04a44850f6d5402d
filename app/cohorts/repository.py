"""Queries on cohorts and their rosters.

Ownership: a facilitator reaches a cohort only if they facilitate it, and a
participant only through such a cohort. Anything else is NotFound, the same
answer as for an id that does not exist, so ids reveal nothing.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.cohorts.models import Cohort, Participant
from app.core.errors import NotFound
from app.facilitators.models import Facilitator


def facilitated_by(facilitator: Facilitator) -> ColumnElement[bool]:
    """The condition "this cohort is facilitated by `facilitator`"."""
    return Cohort.facilitators.any(Facilitator.id == facilitator.id)


def get_cohort_for(db: Session, facilitator: Facilitator, cohort_id: int) -> Cohort:
    cohort = db.scalar(select(Cohort).where(Cohort.id == cohort_id, facilitated_by(facilitator)))
    if cohort is None:
        raise NotFound(f"cohort {cohort_id}: not found")
    return cohort


def cohorts_for(db: Session, facilitator: Facilitator) -> list[Cohort]:
    return list(
        db.scalars(
            select(Cohort)
            .where(facilitated_by(facilitator))
            .order_by(Cohort.created_at.desc(), Cohort.id.desc())
        )
    )


def get_participant_for(
    db: Session, facilitator: Facilitator, cohort_id: int, participant_id: int
) -> Participant:
    participant = db.scalar(
        select(Participant)
        .join(Cohort, Participant.cohort_id == Cohort.id)
        .where(
            Participant.id == participant_id,
            Participant.cohort_id == cohort_id,
            facilitated_by(facilitator),
        )
    )
    if participant is None:
        raise NotFound(f"participant {participant_id}: not found in cohort {cohort_id}")
    return participant


def email_taken(db: Session, cohort_id: int, email: str, *, except_id: int | None = None) -> bool:
    query = select(Participant.id).where(
        Participant.cohort_id == cohort_id, Participant.email == email
    )
    if except_id is not None:
        query = query.where(Participant.id != except_id)
    return db.scalar(query) is not None
