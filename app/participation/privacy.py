"""The participant's rights over their data: export everything, erase a session's map."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.cohorts.models import CohortSession, Invitation
from app.participation.models import Submission, SubmissionContact, SubmissionTie
from app.participation.reports import invalidate_reports
from app.participation.service import Link, as_utc, get_submission


def export_data(db: Session, link: Link) -> dict[str, Any]:
    """Everything stored about the participant in this cohort, as plain JSON data."""
    participant = link.participant
    rows = db.execute(
        select(Submission, CohortSession)
        .join(CohortSession, CohortSession.id == Submission.session_id)
        .where(Submission.participant_id == participant.id)
        .order_by(CohortSession.number)
    ).all()
    invitations = db.scalars(
        select(Invitation).where(Invitation.participant_id == participant.id)
    ).all()
    return {
        "exported_at": datetime.now(UTC),
        "participant": {
            "name": participant.name,
            "email": participant.email,
            "organization": participant.organization,
            "function": participant.function,
            "industry": participant.industry,
            "language": participant.language,
            "created_at": as_utc(participant.created_at),
        },
        "cohort": {"id": link.cohort.id, "name": link.cohort.name},
        "links": [
            {
                "session_number": inv.session.number,
                "created_at": as_utc(inv.created_at),
                "opened_at": as_utc(inv.opened_at) if inv.opened_at else None,
            }
            for inv in sorted(invitations, key=lambda inv: inv.session.number)
        ],
        "submissions": [
            {
                "session_number": cohort_session.number,
                "session_title": cohort_session.title,
                "status": submission.status,
                "version": submission.version,
                "created_at": as_utc(submission.created_at),
                "updated_at": as_utc(submission.updated_at),
                "submitted_at": as_utc(submission.submitted_at)
                if submission.submitted_at else None,
                "map": submission.map,
                "commitment_review": submission.commitment_review,
            }
            for submission, cohort_session in rows
        ],
    }


def erase_submission(db: Session, link: Link) -> bool:
    """Erase this session's submission, its rows and every cached report holding it.

    Returns whether there was anything to erase. Group reports and packs
    include this participant too, so they go as well and are rendered again
    on the next request.
    """
    session_id, participant_id = link.cohort_session.id, link.participant.id
    submission = get_submission(db, session_id, participant_id, for_update=True)
    invalidate_reports(db, participant_id)  # while the participant's rows still lead to them
    if submission is not None:
        db.execute(delete(SubmissionTie).where(SubmissionTie.submission_id == submission.id))
        db.execute(
            delete(SubmissionContact).where(SubmissionContact.submission_id == submission.id)
        )
        db.delete(submission)
    db.flush()
    return submission is not None
