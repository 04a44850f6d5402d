"""Saving and submitting maps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analysis import NetworkMap, Program, parse_map
from app.cohorts.models import CohortSession, Participant
from app.participation.models import Submission, SubmissionContact, SubmissionTie


class VersionConflict(Exception):
    """The map changed elsewhere since the client loaded it."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(f"version: the map was changed elsewhere (now version {current_version})")


def get_submission(db: Session, session_id: int, participant_id: int) -> Submission | None:
    return db.scalar(
        select(Submission).where(
            Submission.session_id == session_id, Submission.participant_id == participant_id
        )
    )


def save_map(
    db: Session,
    *,
    cohort_session: CohortSession,
    participant: Participant,
    program: Program,
    data: Any,
    expected_version: int | None = None,
    submit: bool = False,
) -> Submission:
    """Validate and store a map as a draft or a submission; raises MapValidationError."""
    parsed = parse_map(data, program, draft=not submit)
    canonical = parsed.map.model_dump(mode="json", exclude_none=True)
    submission = get_submission(db, cohort_session.id, participant.id)
    now = datetime.now(UTC)
    if submission is None:
        submission = Submission(
            session_id=cohort_session.id, participant_id=participant.id, map=canonical, version=1
        )
        db.add(submission)
    else:
        if expected_version is not None and expected_version != submission.version:
            already_done = submit and submission.status == "submitted" and submission.map == canonical
            if not already_done:
                raise VersionConflict(submission.version)
            return submission  # a repeated submit of the same map is the same submission
        submission.map = canonical
        submission.version += 1
    submission.updated_at = now
    if submit:
        submission.status = "submitted"
        submission.submitted_at = now
    _replace_rows(db, submission, parsed.map)
    db.flush()
    return submission


def _replace_rows(db: Session, submission: Submission, network_map: NetworkMap) -> None:
    submission.contacts.clear()
    submission.ties.clear()
    db.flush()
    for position, contact in enumerate(network_map.contacts):
        submission.contacts.append(
            SubmissionContact(
                position=position,
                contact_key=contact.id,
                label=contact.label,
                purpose=contact.purpose,
                roles=list(contact.roles),
                origin=contact.origin,
                organization=contact.organization,
                function=contact.function,
                industry=contact.industry,
                qualities=list(contact.qualities),
                closeness=contact.closeness,
                last_contact=contact.last_contact,
                i_helped=contact.i_helped,
                they_helped=contact.they_helped,
                introduced=contact.introduced,
            )
        )
    for source, target in network_map.ties:
        submission.ties.append(SubmissionTie(source_key=source, target_key=target))
