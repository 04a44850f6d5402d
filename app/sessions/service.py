"""Sessions and personal links: opening a session, deadlines, links, enrolment, email.

A link token is HMAC(SECRET_KEY, nonce); only its SHA-256 is stored, so the
facilitator can be shown a link again while a database copy alone reveals none.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from app.cohorts import service as cohorts
from app.cohorts.merge import MergePlan, apply_merge
from app.cohorts.models import Cohort, Participant
from app.cohorts.schemas import ParticipantIn
from app.core import mail
from app.core.config import Settings
from app.core.errors import Conflict, Invalid
from app.core.security import link_token, new_nonce, sha256_hex
from app.core.timezones import end_of_local_day, format_local, local_date
from app.facilitators.models import Facilitator
from app.sessions import repository
from app.sessions.email import link_message
from app.sessions.models import CohortSession, EmailStatus, Invitation, SessionStatus

logger = logging.getLogger(__name__)

MAX_SESSION_DAYS = 366  # a deadline at most this long after the session opens
DEFAULT_DEADLINE_DAYS = 7
MEETING_INTERVAL_MONTHS = 1  # the program meets monthly
MAX_TOKEN_LENGTH = 128


# --- links ------------------------------------------------------------------------------


def new_invitation(
    settings: Settings, cohort_session: CohortSession, participant: Participant
) -> Invitation:
    nonce = new_nonce()
    return Invitation(
        session=cohort_session,
        participant=participant,
        token_nonce=nonce,
        token_hash=sha256_hex(link_token(settings.key, nonce)),
    )


def invitation_token(settings: Settings, invitation: Invitation) -> str:
    return link_token(settings.key, invitation.token_nonce)


def invitation_link(settings: Settings, invitation: Invitation) -> str:
    return f"{settings.base_url}/p/{invitation_token(settings, invitation)}"


def find_invitation(db: Session, token: str) -> Invitation | None:
    """The invitation for a link token, or None (unknown, malformed or revoked)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    invitation = repository.invitation_by_token_hash(db, sha256_hex(token))
    if invitation is None or invitation.revoked_at is not None:
        return None
    return invitation


def revoke_invitation(invitation: Invitation) -> None:
    if invitation.revoked_at is None:
        invitation.revoked_at = datetime.now(UTC)


def reissue_invitation(settings: Settings, invitation: Invitation) -> str:
    """Replace the link: the old one stops working at once. Returns the new link."""
    nonce = new_nonce()
    invitation.token_nonce = nonce
    invitation.token_hash = sha256_hex(link_token(settings.key, nonce))
    invitation.revoked_at = None
    invitation.email_status = EmailStatus.NOT_SENT
    invitation.email_error = None
    invitation.emailed_at = None
    return invitation_link(settings, invitation)


def enrol_participants(
    db: Session, settings: Settings, cohort: Cohort, rows: Iterable[ParticipantIn]
) -> list[Participant]:
    """Add participants to the roster, each with a link for every open session."""
    added = cohorts.add_participants(db, cohort, rows)
    _give_links(db, settings, cohort, added)
    return added


def merge_roster(
    db: Session, settings: Settings, cohort: Cohort, text: str,
    *, expected_digest: str | None = None,
) -> tuple[MergePlan, list[Participant]]:
    """Merge a roster CSV (see app.cohorts.merge); the new people get their links."""
    plan, added = apply_merge(db, cohort, text, expected_digest=expected_digest)
    _give_links(db, settings, cohort, added)
    return plan, added


def _give_links(
    db: Session, settings: Settings, cohort: Cohort, participants: Sequence[Participant]
) -> None:
    for cohort_session in cohort.sessions:
        if cohort_session.status == SessionStatus.OPEN:
            for participant in participants:
                db.add(new_invitation(settings, cohort_session, participant))
    db.flush()


# --- sessions ---------------------------------------------------------------------------


def utc_deadline(deadline: datetime) -> datetime:
    """The deadline in UTC (naive means UTC already); absurd instants are input errors."""
    if deadline.tzinfo is None:
        return deadline.replace(tzinfo=UTC)
    try:
        return deadline.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise Invalid("deadline: not a usable date and time") from exc


def check_deadline(deadline: datetime, opens_on: date) -> datetime:
    deadline = utc_deadline(deadline)
    if deadline.date() < opens_on:
        raise Invalid("deadline: must not be before the opening date")
    if (deadline.date() - opens_on).days > MAX_SESSION_DAYS:
        raise Invalid(f"deadline: at most {MAX_SESSION_DAYS} days after the opening date")
    return deadline


def default_deadline(opens_on: date, days: int = 7, time_zone: str | None = None) -> datetime:
    """The end of the day `days` after `opens_on`, in the cohort's zone (UTC by default)."""
    return end_of_local_day(opens_on + timedelta(days=days), time_zone)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):  # 31 January + 1 month is 28 or 29 February
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def previous_session(cohort: Cohort, number: int) -> CohortSession | None:
    """The latest session before `number`, if any."""
    earlier = [s for s in cohort.sessions if s.number < number]
    return max(earlier, key=lambda s: s.number, default=None)


def suggested_deadline(cohort: Cohort, today: date | None = None) -> date:
    """The local day to suggest as the next session's deadline.

    The program meets monthly: a month after the previous session's deadline, and at
    least DEFAULT_DEADLINE_DAYS from today; never before the previous deadline.
    """
    today = today or local_date(datetime.now(UTC), cohort.time_zone)
    earliest = today + timedelta(days=DEFAULT_DEADLINE_DAYS)
    number = next_session_number(cohort)
    previous = previous_session(cohort, number if number is not None else 10_000)
    if previous is None:
        return earliest
    previous_day = local_date(previous.deadline, cohort.time_zone)
    return max(earliest, _add_months(previous_day, MEETING_INTERVAL_MONTHS))


def next_session_number(cohort: Cohort) -> int | None:
    """The number of the session to open next, or None when the program is complete."""
    number = max((s.number for s in cohort.sessions), default=0) + 1
    return number if number <= len(cohort.program_definition().sessions) else None


def open_sessions_before(cohort: Cohort, number: int) -> list[CohortSession]:
    """Earlier sessions still open: what opening session `number` offers to close."""
    return [s for s in cohort.sessions if s.number < number and s.status == SessionStatus.OPEN]


def open_session(
    db: Session,
    settings: Settings,
    cohort: Cohort,
    *,
    deadline: datetime,
    opens_on: date | None = None,
    number: int | None = None,
    close_previous: bool = True,
) -> CohortSession:
    """Open the next session of the program (or `number`), with one link per participant.

    With `close_previous` (the default) every earlier session still open is closed, so
    participants never hold two live links; closing stays reversible until a pack is printed.
    """
    program = cohort.program_definition()
    taken = {s.number for s in cohort.sessions}
    if number is None:
        number = max(taken, default=0) + 1
    if number in taken:
        raise Conflict(f"number: session {number} is already open")
    if not 1 <= number <= len(program.sessions):
        raise Invalid(
            f"number: the program has sessions 1 to {len(program.sessions)}, not {number}"
        )
    opens_on = opens_on or datetime.now(UTC).date()
    deadline = check_deadline(deadline, opens_on)
    previous = previous_session(cohort, number)
    if previous is not None and deadline < previous.deadline:
        shown = format_local(previous.deadline, cohort.time_zone, "en")
        raise Invalid(
            f"deadline: must not be before session {previous.number}'s deadline ({shown})"
        )
    if close_previous:
        for earlier in open_sessions_before(cohort, number):
            earlier.status = SessionStatus.CLOSED
    topic = program.sessions[number - 1]
    title = topic.title.get(cohort.language) or topic.title.get("en") or f"Session {number}"
    cohort_session = CohortSession(
        cohort=cohort, number=number, title=title[:200], opens_on=opens_on, deadline=deadline
    )
    db.add(cohort_session)
    for participant in cohort.participants:
        db.add(new_invitation(settings, cohort_session, participant))
    db.flush()
    return cohort_session


def update_session(
    db: Session,
    cohort_session: CohortSession,
    *,
    deadline: datetime | None = None,
    status: str | None = None,
) -> CohortSession:
    """Move the deadline or close/reopen a session.

    Reopening is refused (Conflict) once the session's pack was printed: the printed
    reports would no longer match the maps.
    """
    if status is not None:
        if status not in tuple(SessionStatus):
            raise Invalid(f"status: must be 'open' or 'closed', not {status!r}")
        if (
            status == SessionStatus.OPEN
            and cohort_session.status == SessionStatus.CLOSED
            and cohort_session.pack_printed_at is not None
        ):
            raise PackPrinted(cohort_session.pack_printed_at)
        cohort_session.status = status
    if deadline is not None:
        cohort_session.deadline = check_deadline(deadline, cohort_session.opens_on)
    db.flush()
    return cohort_session


class PackPrinted(Conflict):
    """A closed session whose pack was printed cannot be reopened."""

    def __init__(self, printed_at: datetime) -> None:
        self.printed_at = printed_at
        super().__init__(
            f"status: the pack of this session was printed on {printed_at:%Y-%m-%d %H:%M} UTC; "
            "reopening would let maps change after the reports were handed out"
        )


def mark_pack_printed(db: Session, session_id: int) -> None:
    """Record the first download of the session's pack for print (the PDF or the ZIP)."""
    cohort_session = db.get(CohortSession, session_id)
    if cohort_session is not None and cohort_session.pack_printed_at is None:
        cohort_session.pack_printed_at = datetime.now(UTC)
        db.flush()


# --- email --------------------------------------------------------------------------------
#
# Sending is three steps, so that the SMTP conversation never holds a database
# transaction (on SQLite, the write lock): compose the messages; the caller, at
# the request or CLI boundary, commits; deliver; then record the results.


@dataclass
class Outbox:
    config: mail.SmtpConfig
    invitations: dict[int, Invitation]
    messages: list[mail.Outgoing]
    skipped: int = 0


@dataclass
class SendReport:
    sent: list[Invitation] = field(default_factory=list)
    failed: list[Invitation] = field(default_factory=list)
    skipped: int = 0


def compose_links(
    settings: Settings,
    cohort_session: CohortSession,
    invitations: Sequence[Invitation],
    *,
    sender: Facilitator,
    reminder: bool = False,
) -> Outbox:
    """The messages to send (revoked links are skipped); raises MailNotConfigured first."""
    outbox = Outbox(mail.smtp_config(settings), {}, [])
    for invitation in invitations:
        if invitation.revoked_at is not None:
            outbox.skipped += 1
            continue
        outbox.invitations[invitation.id] = invitation
        outbox.messages.append(
            mail.Outgoing(
                key=invitation.id,
                message=link_message(
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
    return outbox


def deliver(outbox: Outbox) -> dict[int, str | None]:
    """Send the outbox over SMTP: {invitation id: None if sent, else the reason}."""
    if not outbox.messages:
        return {}
    return mail.send_all(outbox.config, outbox.messages)


def record_delivery(
    db: Session, outbox: Outbox, results: dict[int, str | None], *, reminder: bool
) -> SendReport:
    """Store per participant whether the email went out."""
    report = SendReport(skipped=outbox.skipped)
    now = datetime.now(UTC)
    kind = "reminder" if reminder else "link email"
    for key, error in results.items():
        invitation = outbox.invitations[key]
        # Ids, not addresses: the log is no place for participants' emails.
        if error is None:
            logger.info("%s sent: invitation %s, participant %s", kind, invitation.id,
                        invitation.participant_id)
        else:
            logger.warning("%s failed: invitation %s, participant %s: %s", kind,
                           invitation.id, invitation.participant_id, error[:200])
        if error is None:
            invitation.email_status = EmailStatus.SENT
            invitation.email_error = None
            invitation.emailed_at = now
            if reminder:
                invitation.reminded_at = now
            report.sent.append(invitation)
        else:
            invitation.email_status = EmailStatus.FAILED
            invitation.email_error = error[:500]
            report.failed.append(invitation)
    db.flush()
    return report


def unsent(invitations: Iterable[Invitation]) -> list[Invitation]:
    """Links that have not gone out by email yet (never sent, or the last send failed)."""
    return [
        invitation for invitation in invitations
        if invitation.revoked_at is None and invitation.email_status != EmailStatus.SENT
    ]
