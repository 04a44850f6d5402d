"""A session's progress and links, and sending them by email."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cohorts import email as mail
from app.cohorts.links import invitation_link
from app.cohorts.models import CohortSession, Invitation, Participant
from app.config import Settings
from app.facilitators.models import Facilitator
from app.participation.models import Submission

STATUSES = ("submitted", "draft", "opened", "not_opened", "revoked")


def as_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass
class LinkRow:
    invitation: Invitation
    participant: Participant
    status: str  # one of STATUSES
    link: str | None  # None while revoked
    submitted_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class Progress:
    rows: list[LinkRow]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def invited(self) -> int:
        return len(self.rows) - self.counts.get("revoked", 0)


def _status(invitation: Invitation, submission_status: str | None) -> str:
    if invitation.revoked_at is not None:
        return "revoked"
    if submission_status == "submitted":
        return "submitted"
    if submission_status == "draft":
        return "draft"
    return "opened" if invitation.opened_at is not None else "not_opened"


def progress(db: Session, settings: Settings, cohort_session: CohortSession) -> Progress:
    """Every participant's link and where they are: submitted, draft, opened, not opened."""
    pairs = db.execute(
        select(Invitation, Participant)
        .join(Participant, Invitation.participant_id == Participant.id)
        .where(Invitation.session_id == cohort_session.id)
        .order_by(Participant.name, Participant.id)
    ).all()
    submissions = {
        row.participant_id: row
        for row in db.execute(
            select(
                Submission.participant_id, Submission.status, Submission.submitted_at,
                Submission.updated_at,
            ).where(Submission.session_id == cohort_session.id)
        )
    }
    rows = []
    for invitation, participant in pairs:
        submission = submissions.get(participant.id)
        status = _status(invitation, submission.status if submission else None)
        rows.append(
            LinkRow(
                invitation=invitation,
                participant=participant,
                status=status,
                link=None if status == "revoked" else invitation_link(settings, invitation),
                submitted_at=as_utc(submission.submitted_at) if submission else None,
                updated_at=as_utc(submission.updated_at) if submission else None,
            )
        )
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    return Progress(rows, counts)


def deadline_passed(cohort_session: CohortSession, now: datetime | None = None) -> bool:
    deadline = as_utc(cohort_session.deadline)
    return deadline is not None and (now or datetime.now(UTC)) >= deadline


# --- email ----------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: list[Invitation] = field(default_factory=list)
    failed: list[Invitation] = field(default_factory=list)
    skipped: int = 0


def send_links(
    db: Session,
    settings: Settings,
    cohort_session: CohortSession,
    invitations: list[Invitation],
    *,
    sender: Facilitator,
    reminder: bool = False,
) -> SendReport:
    """Email each invitation's link; record per participant whether it went out.

    The transaction is committed before talking to the SMTP server, so a slow
    server never holds the database's write lock.
    """
    config = mail.smtp_config(settings)  # raises MailNotConfigured first
    report = SendReport()
    outgoing = []
    for invitation in invitations:
        if invitation.revoked_at is not None:
            report.skipped += 1
            continue
        outgoing.append(
            mail.Outgoing(
                key=invitation.id,
                message=mail.link_message(
                    settings,
                    participant=invitation.participant,
                    cohort=cohort_session.cohort,
                    cohort_session=cohort_session,
                    link=invitation_link(settings, invitation),
                    sender=sender,
                    reminder=reminder,
                ),
            )
        )
    if not outgoing:
        return report
    db.commit()
    results = mail.send_all(config, outgoing)
    by_id = {invitation.id: invitation for invitation in invitations}
    now = datetime.now(UTC)
    for key, error in results.items():
        invitation = by_id[key]
        if error is None:
            invitation.email_status = "sent"
            invitation.email_error = None
            invitation.emailed_at = now
            if reminder:
                invitation.reminded_at = now
            report.sent.append(invitation)
        else:
            invitation.email_status = "failed"
            invitation.email_error = error[:500]
            report.failed.append(invitation)
    db.flush()
    return report


def unsent(progress_rows: list[LinkRow]) -> list[Invitation]:
    """Links that have not gone out by email yet (never sent, or the last send failed)."""
    return [
        row.invitation
        for row in progress_rows
        if row.status != "revoked" and row.invitation.email_status != "sent"
    ]


def not_submitted(progress_rows: list[LinkRow]) -> list[Invitation]:
    waiting = ("draft", "opened", "not_opened")
    return [row.invitation for row in progress_rows if row.status in waiting]
