"""Ownership: every lookup of a facilitator's object goes through one of these.

A facilitator reaches a cohort only if they facilitate it, and reaches a
session, participant or invitation only through such a cohort. Anything else is
NotFound, the same answer as for an id that does not exist, so ids reveal nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cohorts.models import Cohort, CohortSession, Invitation, Participant
from app.facilitators.models import Facilitator


class NotFound(LookupError):
    """No such object for this facilitator."""


def _facilitates(facilitator: Facilitator):  # type: ignore[no-untyped-def]
    return Cohort.facilitators.any(Facilitator.id == facilitator.id)


def get_cohort_for(db: Session, facilitator: Facilitator, cohort_id: int) -> Cohort:
    cohort = db.scalar(select(Cohort).where(Cohort.id == cohort_id, _facilitates(facilitator)))
    if cohort is None:
        raise NotFound(f"cohort {cohort_id}: not found")
    return cohort


def get_session_for(db: Session, facilitator: Facilitator, session_id: int) -> CohortSession:
    cohort_session = db.scalar(
        select(CohortSession)
        .join(Cohort, CohortSession.cohort_id == Cohort.id)
        .where(CohortSession.id == session_id, _facilitates(facilitator))
    )
    if cohort_session is None:
        raise NotFound(f"session {session_id}: not found")
    return cohort_session


def get_participant_for(
    db: Session, facilitator: Facilitator, cohort_id: int, participant_id: int
) -> Participant:
    participant = db.scalar(
        select(Participant)
        .join(Cohort, Participant.cohort_id == Cohort.id)
        .where(
            Participant.id == participant_id,
            Participant.cohort_id == cohort_id,
            _facilitates(facilitator),
        )
    )
    if participant is None:
        raise NotFound(f"participant {participant_id}: not found in cohort {cohort_id}")
    return participant


def get_session_participant_for(
    db: Session, facilitator: Facilitator, session_id: int, participant_id: int
) -> tuple[CohortSession, Participant]:
    cohort_session = get_session_for(db, facilitator, session_id)
    return cohort_session, get_participant_for(
        db, facilitator, cohort_session.cohort_id, participant_id
    )


def get_invitation_for(
    db: Session, facilitator: Facilitator, session_id: int, invitation_id: int
) -> Invitation:
    invitation = db.scalar(
        select(Invitation)
        .join(CohortSession, Invitation.session_id == CohortSession.id)
        .join(Cohort, CohortSession.cohort_id == Cohort.id)
        .where(
            Invitation.id == invitation_id,
            Invitation.session_id == session_id,
            _facilitates(facilitator),
        )
    )
    if invitation is None:
        raise NotFound(f"invitation {invitation_id}: not found in session {session_id}")
    return invitation
