"""Gather a report's inputs from the database as plain, JSON-able data.

The inputs are everything a report depends on besides the templates: the
maps, names, the program snapshot, the language, the page size and the
as-of date. They are hashed for the cache key and shipped to a render worker,
so nothing here may be volatile (no timestamps, no row versions).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cohorts.models import Cohort, CohortSession, Invitation, Participant
from app.config import Settings
from app.i18n import normalize_language
from app.participation.models import Submission

SUBMITTED = "submitted"


def session_as_of(cohort_session: CohortSession, today: date | None = None) -> date:
    """The session's "now": its deadline day, or today while that is sooner.

    The same rule as the dashboard's, so both show the same figures; it also
    keeps a cached report valid for the whole day.
    """
    deadline = cohort_session.deadline
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=UTC)
    return min(deadline.astimezone(UTC).date(), today or datetime.now(UTC).date())


def _common(cohort: Cohort, cohort_session: CohortSession, settings: Settings) -> dict[str, Any]:
    return {
        "program": cohort.program,
        "language": normalize_language(cohort.language),
        "page_size": settings.page_size,
        "cohort": {"name": cohort.name},
        "session": {"number": cohort_session.number, "title": cohort_session.title},
        "as_of": session_as_of(cohort_session).isoformat(),
    }


def previous_session(db: Session, cohort_session: CohortSession) -> CohortSession | None:
    return db.scalar(
        select(CohortSession).where(
            CohortSession.cohort_id == cohort_session.cohort_id,
            CohortSession.number == cohort_session.number - 1,
        )
    )


def individual_inputs(db: Session, submission: Submission, settings: Settings) -> dict[str, Any]:
    cohort_session = db.get_one(CohortSession, submission.session_id)
    participant = db.get_one(Participant, submission.participant_id)
    cohort = cohort_session.cohort
    inputs = _common(cohort, cohort_session, settings)
    inputs.update(
        kind="individual",
        participant={"id": participant.id, "name": participant.name},
        map=submission.map,
        status=submission.status,
        commitment_review=submission.commitment_review,
        previous=None,
    )
    before = previous_session(db, cohort_session)
    if before is not None:
        previous_map = db.scalar(
            select(Submission.map).where(
                Submission.session_id == before.id,
                Submission.participant_id == participant.id,
                Submission.status == SUBMITTED,
            )
        )
        if previous_map is not None:
            inputs["previous"] = {
                "map": previous_map,
                "as_of": session_as_of(before).isoformat(),
            }
    return inputs


def submitted(db: Session, cohort_session: CohortSession) -> list[tuple[Submission, Participant]]:
    """Submitted maps of participants whose link is not revoked, in roster order."""
    rows = db.execute(
        select(Submission, Participant)
        .join(Participant, Participant.id == Submission.participant_id)
        .join(
            Invitation,
            (Invitation.session_id == Submission.session_id)
            & (Invitation.participant_id == Submission.participant_id),
        )
        .where(
            Submission.session_id == cohort_session.id,
            Submission.status == SUBMITTED,
            Invitation.revoked_at.is_(None),
        )
        .order_by(Participant.name, Participant.id)
    ).all()
    return [(submission, participant) for submission, participant in rows]


def _participation(db: Session, cohort_session: CohortSession) -> dict[str, int]:
    invitations = db.execute(
        select(Invitation.participant_id, Invitation.opened_at).where(
            Invitation.session_id == cohort_session.id, Invitation.revoked_at.is_(None)
        )
    ).all()
    statuses = dict(
        db.execute(
            select(Submission.participant_id, Submission.status).where(
                Submission.session_id == cohort_session.id
            )
        ).all()
    )
    invited = len(invitations)
    opened = sum(
        1 for pid, opened_at in invitations if opened_at is not None or pid in statuses
    )
    drafted = sum(1 for pid, _ in invitations if statuses.get(pid) == "draft")
    return {"invited": invited, "opened": opened, "drafted": drafted}


def group_inputs(db: Session, cohort_session: CohortSession, settings: Settings) -> dict[str, Any]:
    """No names here: the group report must not be able to show who is who."""
    inputs = _common(cohort_session.cohort, cohort_session, settings)
    inputs.update(
        kind="group",
        participation=_participation(db, cohort_session),
        maps={str(s.participant_id): s.map for s, _p in submitted(db, cohort_session)},
        previous=None,
    )
    before = previous_session(db, cohort_session)
    if before is not None:
        previous_maps = {str(s.participant_id): s.map for s, _p in submitted(db, before)}
        if previous_maps:
            inputs["previous"] = {
                "maps": previous_maps,
                "as_of": session_as_of(before).isoformat(),
            }
    return inputs
