"""Queries on sessions and personal links (invitations)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from app.cohorts.models import Cohort, Participant
from app.cohorts.repository import facilitated_by
from app.core.errors import NotFound
from app.facilitators.models import Facilitator
from app.sessions.models import CohortSession, Invitation


def get_session_for(db: Session, facilitator: Facilitator, session_id: int) -> CohortSession:
    cohort_session = db.scalar(
        select(CohortSession)
        .join(Cohort, CohortSession.cohort_id == Cohort.id)
        .where(CohortSession.id == session_id, facilitated_by(facilitator))
    )
    if cohort_session is None:
        raise NotFound(f"session {session_id}: not found")
    return cohort_session


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
            facilitated_by(facilitator),
        )
    )
    if invitation is None:
        raise NotFound(f"invitation {invitation_id}: not found in session {session_id}")
    return invitation


def invitation_by_token_hash(db: Session, token_hash: str) -> Invitation | None:
    """The invitation with its session, cohort and participant, in one query (every
    participant request starts here, so three lazy loads would be three round trips)."""
    return db.scalar(
        select(Invitation)
        .where(Invitation.token_hash == token_hash)
        .options(
            joinedload(Invitation.session).joinedload(CohortSession.cohort),
            joinedload(Invitation.participant),
        )
    )


def previous_session(db: Session, cohort_session: CohortSession) -> CohortSession | None:
    """The session before this one in the same cohort, if there is one."""
    return db.scalar(
        select(CohortSession).where(
            CohortSession.cohort_id == cohort_session.cohort_id,
            CohortSession.number == cohort_session.number - 1,
        )
    )


def invitations_with_participants(
    db: Session, session_id: int
) -> list[tuple[Invitation, Participant]]:
    """Every link of the session with its participant, in roster (name) order."""
    rows = db.execute(
        select(Invitation, Participant)
        .join(Participant, Invitation.participant_id == Participant.id)
        .where(Invitation.session_id == session_id)
        .order_by(Participant.name, Participant.id)
    ).all()
    return [(invitation, participant) for invitation, participant in rows]


def invitations_of(db: Session, participant_id: int) -> list[Invitation]:
    """Every link a participant was given, in session order."""
    rows = db.scalars(
        select(Invitation)
        .join(CohortSession, CohortSession.id == Invitation.session_id)
        .where(Invitation.participant_id == participant_id)
        .order_by(CohortSession.number)
    )
    return list(rows)


def mark_opened(db: Session, invitation_id: int, when: datetime) -> None:
    db.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, Invitation.opened_at.is_(None))
        .values(opened_at=when)
    )
