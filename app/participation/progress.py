"""Where each participant of a session is: submitted, draft, opened, not opened, revoked.

The dashboard, the exports and the reminders all start from this one picture.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from app.analysis import MapValidationError, NetworkMap, Program, parse_map
from app.cohorts.models import Participant
from app.core.config import Settings
from app.participation import repository
from app.participation.models import LinkStatus, SubmissionStatus
from app.sessions import repository as sessions
from app.sessions.models import CohortSession, Invitation
from app.sessions.service import invitation_link

logger = logging.getLogger("wellspring.participation")

WAITING = (LinkStatus.DRAFT, LinkStatus.OPENED, LinkStatus.NOT_OPENED)  # not submitted yet


@dataclass
class LinkRow:
    invitation: Invitation
    participant: Participant
    status: LinkStatus
    link: str | None  # None while revoked
    submitted_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class Progress:
    rows: list[LinkRow]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def invited(self) -> int:
        return len(self.rows) - self.counts.get(LinkStatus.REVOKED, 0)

    def not_submitted(self) -> list[Invitation]:
        return [row.invitation for row in self.rows if row.status in WAITING]


def _status(invitation: Invitation, submission_status: str | None) -> LinkStatus:
    if invitation.revoked_at is not None:
        return LinkStatus.REVOKED
    if submission_status == SubmissionStatus.SUBMITTED:
        return LinkStatus.SUBMITTED
    if submission_status == SubmissionStatus.DRAFT:
        return LinkStatus.DRAFT
    return LinkStatus.OPENED if invitation.opened_at is not None else LinkStatus.NOT_OPENED


def progress(db: Session, settings: Settings, cohort_session: CohortSession) -> Progress:
    """Every participant's link and where they are: submitted, draft, opened, not opened."""
    by_participant = repository.statuses(db, cohort_session.id)
    rows = []
    for invitation, participant in sessions.invitations_with_participants(db, cohort_session.id):
        submission = by_participant.get(participant.id)
        status = _status(invitation, submission.status if submission else None)
        revoked = status == LinkStatus.REVOKED
        rows.append(
            LinkRow(
                invitation=invitation,
                participant=participant,
                status=status,
                link=None if revoked else invitation_link(settings, invitation),
                submitted_at=submission.submitted_at if submission else None,
                updated_at=submission.updated_at if submission else None,
            )
        )
    counts = {status.value: 0 for status in LinkStatus}
    for row in rows:
        counts[row.status] += 1
    return Progress(rows, counts)


# --- the maps themselves --------------------------------------------------------------------


def submitted_maps(
    db: Session, cohort_session: CohortSession, program: Program
) -> dict[str, NetworkMap]:
    """The session's submitted maps by participant id (as a string)."""
    maps: dict[str, NetworkMap] = {}
    for submission, _participant in repository.submitted_with_participants(db, cohort_session.id):
        try:
            maps[str(submission.participant_id)] = parse_map(submission.map, program).map
        except MapValidationError as exc:  # a map stored under an older program
            logger.warning("session %s: skipping participant %s's map: %s",
                           cohort_session.id, submission.participant_id, exc)
    return dict(sorted(maps.items(), key=lambda item: int(item[0])))


