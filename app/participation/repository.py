"""Queries on submissions (participants' maps): the only place they are read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, bindparam, cast, delete, insert, select, update
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.attributes import set_committed_value

from app.cohorts.models import Cohort, Participant
from app.participation.models import (
    Submission,
    SubmissionContact,
    SubmissionStatus,
    SubmissionTie,
)
from app.sessions.models import CohortSession, Invitation

# Built once: every participant request runs it. The entities side by side rather than
# joined eager loads (whose loader options cost more than the query); the session's
# identity map then answers invitation.session, .participant and session.cohort.
_LINK_BY_TOKEN_HASH = (
    select(Invitation, CohortSession, Cohort, Participant, Submission,
           cast(Cohort.program, Text))
    .join(CohortSession, CohortSession.id == Invitation.session_id)
    .join(Cohort, Cohort.id == CohortSession.cohort_id)
    .join(Participant, Participant.id == Invitation.participant_id)
    .outerjoin(
        Submission,
        (Submission.session_id == Invitation.session_id)
        & (Submission.participant_id == Invitation.participant_id),
    )
    .where(Invitation.token_hash == bindparam("token_hash"))
    .options(defer(Cohort.program))
)

LinkRow = tuple[Invitation, CohortSession, Cohort, Participant, Submission | None, str]


def link_by_token_hash(db: Session, token_hash: str) -> LinkRow | None:
    """In one query: the invitation, its session, cohort and participant, this session's
    map of the participant (None before the first save), and the cohort's program
    snapshot as stored (JSON text).

    The snapshot comes as text so that its model can be cached by content; the
    `Cohort.program` attribute is left unloaded (loaded if something reads it). Keep the
    objects: the identity map holds them only while they are referenced.
    """
    row = db.execute(_LINK_BY_TOKEN_HASH, {"token_hash": token_hash}).first()
    if row is None:
        return None
    invitation, cohort_session, cohort, participant, submission, snapshot = row
    return invitation, cohort_session, cohort, participant, submission, snapshot


def get_submission(db: Session, session_id: int, participant_id: int) -> Submission | None:
    """The submission as stored now: a copy already in the session is refreshed, so a
    version read earlier in the request never hides a newer one."""
    query = (
        select(Submission)
        .where(Submission.session_id == session_id, Submission.participant_id == participant_id)
        .execution_options(populate_existing=True)
    )
    return db.scalar(query)


def update_if_version(
    db: Session, submission: Submission, expected_version: int, **values: Any
) -> bool:
    """Save `values` and bump the version, only if the row is still at `expected_version`.

    True when this save won, and the object then holds what was written (the new version
    comes back with RETURNING, so the map is not read back); False when another save
    changed the row first (the object is left as it was: read the row again).

    The object may have been read before this transaction (save_map's `seen`): the row
    is also matched by its session and participant, so that an id SQLite reused after an
    erasure can never let this save land on another participant's map.
    """
    new_version = db.scalar(
        update(Submission)
        .where(
            Submission.id == submission.id,
            Submission.session_id == submission.session_id,
            Submission.participant_id == submission.participant_id,
            Submission.version == expected_version,
        )
        .values(version=Submission.version + 1, **values)
        .returning(Submission.version)
        .execution_options(synchronize_session=False)
    )
    if new_version is None:
        return False
    for key, value in {**values, "version": new_version}.items():
        set_committed_value(submission, key, value)
    return True


def submission_status(db: Session, session_id: int, participant_id: int) -> str | None:
    """Only the status column of the submission, or None when there is none yet."""
    return db.scalar(
        select(Submission.status)
        .where(Submission.session_id == session_id, Submission.participant_id == participant_id)
    )


def current_version(db: Session, submission_id: int) -> int:
    version = db.scalar(select(Submission.version).where(Submission.id == submission_id))
    return int(version or 0)


def previous_submitted(
    db: Session, participant_id: int, cohort_id: int, before_number: int
) -> tuple[Submission, int] | None:
    """The participant's last submitted map from a session before `before_number`,
    with that session's number."""
    row = db.execute(
        select(Submission, CohortSession.number)
        .join(CohortSession, CohortSession.id == Submission.session_id)
        .where(
            Submission.participant_id == participant_id,
            Submission.status == SubmissionStatus.SUBMITTED,
            CohortSession.cohort_id == cohort_id,
            CohortSession.number < before_number,
        )
        .order_by(CohortSession.number.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def submitted_map(db: Session, session_id: int, participant_id: int) -> dict[str, Any] | None:
    map_data: dict[str, Any] | None = db.scalar(
        select(Submission.map).where(
            Submission.session_id == session_id,
            Submission.participant_id == participant_id,
            Submission.status == SubmissionStatus.SUBMITTED,
        )
    )
    return map_data


def submitted_with_participants(
    db: Session, session_id: int
) -> list[tuple[Submission, Participant]]:
    """The session's submitted maps, of participants whose link is not revoked, by name."""
    rows = db.execute(
        select(Submission, Participant)
        .join(Participant, Participant.id == Submission.participant_id)
        .join(
            Invitation,
            (Invitation.session_id == Submission.session_id)
            & (Invitation.participant_id == Submission.participant_id),
        )
        .where(
            Submission.session_id == session_id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Invitation.revoked_at.is_(None),
        )
        .order_by(Participant.name, Participant.id)
    ).all()
    return [(submission, participant) for submission, participant in rows]


def statuses(db: Session, session_id: int) -> dict[int, Submission]:
    """Every submission of the session by participant id (status and times; maps not loaded)."""
    rows = db.scalars(
        select(Submission)
        .where(Submission.session_id == session_id)
        .options(defer(Submission.map), defer(Submission.commitment_review))
    )
    return {submission.participant_id: submission for submission in rows}


def maps_by_participant(db: Session, session_id: int) -> dict[int, dict[str, Any]]:
    """Every stored map of the session (drafts included) by participant id."""
    rows = db.execute(
        select(Submission.participant_id, Submission.map).where(
            Submission.session_id == session_id
        )
    ).all()
    return {row.participant_id: row.map for row in rows}


def submissions_of(db: Session, participant_id: int) -> list[tuple[Submission, CohortSession]]:
    """Every map of a participant, in every session, in session order."""
    rows = db.execute(
        select(Submission, CohortSession)
        .join(CohortSession, CohortSession.id == Submission.session_id)
        .where(Submission.participant_id == participant_id)
        .order_by(CohortSession.number)
    ).all()
    return [(submission, cohort_session) for submission, cohort_session in rows]


def participation(db: Session, session_id: int) -> dict[str, int]:
    """Invited (links not revoked), opened (the link or a saved map) and drafted."""
    invitations = db.execute(
        select(Invitation.participant_id, Invitation.opened_at).where(
            Invitation.session_id == session_id, Invitation.revoked_at.is_(None)
        )
    ).all()
    by_participant = dict(
        db.execute(
            select(Submission.participant_id, Submission.status).where(
                Submission.session_id == session_id
            )
        ).all()
    )
    opened = sum(
        1 for pid, opened_at in invitations if opened_at is not None or pid in by_participant
    )
    drafted = sum(
        1 for pid, _ in invitations if by_participant.get(pid) == SubmissionStatus.DRAFT
    )
    return {"invited": len(invitations), "opened": opened, "drafted": drafted}


def replace_rows(
    db: Session, submission_id: int, *, contacts: list[dict[str, Any]],
    ties: list[dict[str, Any]],
) -> None:
    """Replace a submission's contact and tie rows (bulk statements, no ORM objects)."""
    db.execute(delete(SubmissionTie).where(SubmissionTie.submission_id == submission_id))
    db.execute(delete(SubmissionContact).where(SubmissionContact.submission_id == submission_id))
    if contacts:
        db.execute(insert(SubmissionContact),
                   [{"submission_id": submission_id, **row} for row in contacts])
    if ties:
        db.execute(insert(SubmissionTie), [{"submission_id": submission_id, **row} for row in ties])
