"""Privacy queries: erasing a participant or a cohort, and finding cohorts past retention.

Every delete is issued explicitly, child tables first, instead of relying on
`ON DELETE CASCADE`: SQLite only honours foreign keys when the connection turned
them on, and a restored or hand-made database may not have. Explicit deletes
erase the same rows on any connection, and let us report what was erased.

Cached PDFs are personal data too. A participant's own reports carry their
`participant_id`; session-wide reports (group report, pack, ZIP) carry only the
`session_id` but contain everyone's figures and, in the pack, every individual
report, so erasing one participant also drops the session-wide PDFs of every
session they took part in. They are rendered again on the next request.

The functions flush but never commit: the caller owns the transaction, so an
erasure is all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Delete, delete, func, or_, select
from sqlalchemy.orm import Session

from app.cohorts.models import Cohort, Participant, cohort_facilitators
from app.core.db import checkpoint_after_commit
from app.core.errors import NotFound
from app.participation.models import Submission, SubmissionContact, SubmissionTie
from app.reports.models import CachedReport
from app.sessions.models import CohortSession, Invitation


@dataclass
class ErasureCounts:
    """Rows deleted per table, for the audit line and the tests."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, count: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + max(count, 0)

    def merge(self, other: ErasureCounts) -> None:
        for table, count in other.rows.items():
            self.add(table, count)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _run(db: Session, counts: ErasureCounts, table: str, statement: Delete) -> None:
    # synchronize_session=False: we delete by criteria over many rows and do not
    # want the ORM to evaluate them in Python; the caller expunges afterwards.
    result: Any = db.execute(statement.execution_options(synchronize_session=False))
    counts.add(table, int(result.rowcount or 0))


def _erase_submissions(db: Session, counts: ErasureCounts, where: ColumnElement[bool]) -> None:
    submission_ids = select(Submission.id).where(where).scalar_subquery()
    _run(
        db, counts, "submission_ties",
        delete(SubmissionTie).where(SubmissionTie.submission_id.in_(submission_ids)),
    )
    _run(
        db, counts, "submission_contacts",
        delete(SubmissionContact).where(SubmissionContact.submission_id.in_(submission_ids)),
    )
    _run(db, counts, "submissions", delete(Submission).where(where))


def erase_participant(db: Session, participant_id: int) -> ErasureCounts:
    """Erase a participant with everything stored about them, in every session.

    Removes their submissions (drafts included), contact and tie rows, links,
    their own cached reports and the session-wide cached reports that include
    them, and finally the participant (name and email) itself.
    """
    # Pending changes go to the database first: expire_all() below would drop them.
    db.flush()
    participant = db.get(Participant, participant_id)
    if participant is None:
        raise NotFound(f"participant {participant_id} does not exist")
    counts = ErasureCounts()
    _erase_submissions(db, counts, Submission.participant_id == participant_id)
    _erase_cached_reports(db, counts, participant)
    _run(
        db, counts, "invitations",
        delete(Invitation).where(Invitation.participant_id == participant_id),
    )
    _run(db, counts, "participants", delete(Participant).where(Participant.id == participant_id))
    db.flush()
    # The identity map may still hold the deleted objects (e.g. `cohort.participants`).
    db.expire_all()
    checkpoint_after_commit(db)
    return counts


def erase_participant_maps(db: Session, participant_id: int) -> ErasureCounts:
    """Erase every map of a participant (every session, drafts included) and every cached
    report that holds one; the participant stays on the roster with their links."""
    db.flush()
    participant = db.get(Participant, participant_id)
    if participant is None:
        raise NotFound(f"participant {participant_id} does not exist")
    counts = ErasureCounts()
    _erase_cached_reports(db, counts, participant)
    _erase_submissions(db, counts, Submission.participant_id == participant_id)
    db.flush()
    db.expire_all()
    checkpoint_after_commit(db)
    return counts


def _erase_cached_reports(db: Session, counts: ErasureCounts, participant: Participant) -> None:
    session_ids = list(
        db.scalars(select(CohortSession.id).where(CohortSession.cohort_id == participant.cohort_id))
    )
    _run(
        db, counts, "cached_reports",
        delete(CachedReport).where(
            or_(
                CachedReport.participant_id == participant.id,
                # Session-wide reports only (group, pack, ZIP); other participants'
                # own reports do not hold this participant's data. An empty IN
                # renders as a false predicate in SQLAlchemy 2.
                CachedReport.session_id.in_(session_ids) & CachedReport.participant_id.is_(None),
            )
        ),
    )


def erase_cohort(db: Session, cohort_id: int) -> ErasureCounts:
    """Erase a cohort and everything in it: sessions, participants, maps, links, PDFs."""
    db.flush()
    if db.get(Cohort, cohort_id) is None:
        raise NotFound(f"cohort {cohort_id} does not exist")
    counts = ErasureCounts()
    session_ids = select(CohortSession.id).where(CohortSession.cohort_id == cohort_id)
    participant_ids = select(Participant.id).where(Participant.cohort_id == cohort_id)
    _erase_submissions(
        db, counts,
        or_(
            Submission.session_id.in_(session_ids.scalar_subquery()),
            Submission.participant_id.in_(participant_ids.scalar_subquery()),
        ),
    )
    _run(
        db, counts, "cached_reports",
        delete(CachedReport).where(
            or_(
                CachedReport.session_id.in_(session_ids.scalar_subquery()),
                CachedReport.participant_id.in_(participant_ids.scalar_subquery()),
            )
        ),
    )
    _run(
        db, counts, "invitations",
        delete(Invitation).where(
            or_(
                Invitation.session_id.in_(session_ids.scalar_subquery()),
                Invitation.participant_id.in_(participant_ids.scalar_subquery()),
            )
        ),
    )
    _run(db, counts, "sessions", delete(CohortSession).where(CohortSession.cohort_id == cohort_id))
    _run(db, counts, "participants", delete(Participant).where(Participant.cohort_id == cohort_id))
    _run(
        db, counts, "cohort_facilitators",
        delete(cohort_facilitators).where(cohort_facilitators.c.cohort_id == cohort_id),
    )
    _run(db, counts, "cohorts", delete(Cohort).where(Cohort.id == cohort_id))
    db.flush()
    db.expire_all()
    checkpoint_after_commit(db)
    return counts


# --- retention ----------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """The same instant `months` calendar months earlier, clamped to the month's last day."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = datetime(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - datetime(year, month, 1)).days
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass
class ExpiredCohort:
    id: int
    name: str
    # The last session's deadline, or the cohort's creation time if it never had a session.
    last_activity: datetime
    participants: int
    sessions: int


def expired_cohorts(db: Session, now: datetime, retention_months: int) -> list[ExpiredCohort]:
    """Cohorts whose last session's deadline is more than `retention_months` before `now`.

    A cohort that never opened a session still holds a roster (names, emails),
    so it ages from its creation time instead of being kept for ever.
    """
    if retention_months < 1:
        raise ValueError("retention_months: must be at least 1")
    cutoff = months_before(_as_utc(now), retention_months)
    last_deadline = (
        select(CohortSession.cohort_id, func.max(CohortSession.deadline).label("last"))
        .group_by(CohortSession.cohort_id)
        .subquery()
    )
    session_count = (
        select(func.count()).where(CohortSession.cohort_id == Cohort.id).scalar_subquery()
    )
    participant_count = (
        select(func.count()).where(Participant.cohort_id == Cohort.id).scalar_subquery()
    )
    rows: Sequence[Any] = db.execute(
        select(
            Cohort.id, Cohort.name, Cohort.created_at, last_deadline.c.last,
            participant_count, session_count,
        )
        .outerjoin(last_deadline, last_deadline.c.cohort_id == Cohort.id)
        .order_by(Cohort.id)
    ).all()
    expired = []
    for cohort_id, name, created_at, last, participants, sessions in rows:
        # Compared in Python: SQLite stores these as naive text, PostgreSQL as timestamptz.
        last_activity = _as_utc(last if last is not None else created_at)
        if last_activity < cutoff:
            expired.append(
                ExpiredCohort(cohort_id, name, last_activity, int(participants), int(sessions))
            )
    return expired


