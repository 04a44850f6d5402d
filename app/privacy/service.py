"""Privacy: a participant's export and erasure, erasing cohorts, and retention.

Erasure flushes but never commits: the caller (a request or a CLI command) owns
the transaction, so an erasure is all-or-nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.participation import repository as submissions
from app.participation.service import Link
from app.privacy.repository import (
    ErasureCounts,
    ExpiredCohort,
    erase_cohort,
    erase_participant,
    erase_participant_maps,
    expired_cohorts,
    months_before,
)
from app.sessions.repository import invitations_of

__all__ = ["ErasureCounts", "erase_cohort", "erase_participant", "purge_expired"]


# --- retention -------------------------------------------------------------------------


@dataclass
class PurgeReport:
    now: datetime
    retention_months: int
    cutoff: datetime
    dry_run: bool
    cohorts: list[ExpiredCohort] = field(default_factory=list)
    erased: ErasureCounts = field(default_factory=ErasureCounts)

    def to_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "retention_months": self.retention_months,
            "cutoff": self.cutoff.isoformat(),
            "dry_run": self.dry_run,
            "cohorts": [
                {
                    "id": cohort.id,
                    "name": cohort.name,
                    "last_activity": cohort.last_activity.isoformat(),
                    "participants": cohort.participants,
                    "sessions": cohort.sessions,
                }
                for cohort in self.cohorts
            ],
            "erased_rows": dict(sorted(self.erased.rows.items())),
        }


def purge_expired(
    db: Session, now: datetime, retention_months: int, *, dry_run: bool = False
) -> PurgeReport:
    """Erase every cohort past retention (or only list them when `dry_run`)."""
    now = now.astimezone(UTC)
    report = PurgeReport(
        now=now,
        retention_months=retention_months,
        cutoff=months_before(now, retention_months),
        dry_run=dry_run,
        cohorts=expired_cohorts(db, now, retention_months),
    )
    if not dry_run:
        for cohort in report.cohorts:
            report.erased.merge(erase_cohort(db, cohort.id))
    return report

# --- the participant's own rights ----------------------------------------------------------


def export_data(db: Session, link: Link) -> dict[str, Any]:
    """Everything stored about the participant in this cohort, as plain JSON data."""
    participant = link.participant
    rows = submissions.submissions_of(db, participant.id)
    invitations = invitations_of(db, participant.id)
    return {
        "exported_at": datetime.now(UTC),
        "participant": {
            "name": participant.name,
            "email": participant.email,
            "organization": participant.organization,
            "function": participant.function,
            "industry": participant.industry,
            "language": participant.language,
            "created_at": participant.created_at,
        },
        "cohort": {"id": link.cohort.id, "name": link.cohort.name},
        "links": [
            {
                "session_number": inv.session.number,
                "created_at": inv.created_at,
                "opened_at": inv.opened_at,
            }
            for inv in sorted(invitations, key=lambda inv: inv.session.number)
        ],
        "submissions": [
            {
                "session_number": cohort_session.number,
                "session_title": cohort_session.title,
                "status": submission.status,
                "version": submission.version,
                "created_at": submission.created_at,
                "updated_at": submission.updated_at,
                "submitted_at": submission.submitted_at,
                "map": submission.map,
                "commitment_review": submission.commitment_review,
            }
            for submission, cohort_session in rows
        ],
    }


def stored_sessions(db: Session, link: Link) -> list[int]:
    """The numbers of the sessions that hold a map of this participant ("delete" erases all)."""
    return sorted(session.number for _submission, session in submissions.submissions_of(
        db, link.participant.id))


def erase_my_data(db: Session, link: Link) -> ErasureCounts:
    """"Delete my data": every map of this participant in every session of the cohort,
    with every cached PDF that holds one. The link keeps working for a fresh start."""
    return erase_participant_maps(db, link.participant.id)
