"""JSON API for sessions (/api/v1/sessions/{id}) and opening them (/api/v1/cohorts/{id}/sessions):
progress, personal links and email. Every route takes its session through OwnedSession
(404 unless you facilitate its cohort).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Response
from sqlalchemy.orm import Session

from app.cohorts.deps import OwnedCohort
from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep
from app.core.schemas import CSV_RESPONSES, SESSION_ERRORS, ErrorMessage, Responses
from app.core.timezones import end_of_local_day, format_local
from app.core.web import attachment
from app.exports import service as exports
from app.facilitators.deps import CurrentFacilitator
from app.facilitators.models import Facilitator
from app.participation.progress import LinkRow, progress
from app.sessions import service
from app.sessions.deps import InvitationId, OwnedSession
from app.sessions.models import CohortSession, Invitation
from app.sessions.repository import get_invitation_for
from app.sessions.schemas import (
    LinkOut,
    ParticipantProgress,
    ProgressCounts,
    SendLinksIn,
    SendOutcome,
    SendResult,
    SessionBrief,
    SessionDetail,
    SessionOpen,
    SessionPatch,
)

MAIL_ERRORS: Responses = {
    409: {"model": ErrorMessage, "description": "Email is not configured (SMTP_URL)"},
}

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"], responses=SESSION_ERRORS)
cohort_sessions = APIRouter(prefix="/api/v1/cohorts", tags=["sessions"], responses={
    401: {"model": ErrorMessage, "description": "Not signed in"},
    404: {"model": ErrorMessage, "description": "No such cohort among yours"},
})


def session_out(
    db: Session, settings: Settings, s: CohortSession, closed_previous: list[int] | None = None
) -> SessionDetail:
    current = progress(db, settings, s)
    return SessionDetail(
        id=s.id, number=s.number, title=s.title, status=s.status,
        opens_on=s.opens_on, deadline=s.deadline,
        time_zone=s.cohort.time_zone,
        deadline_local=format_local(s.deadline, s.cohort.time_zone, s.cohort.language),
        pack_printed_at=s.pack_printed_at, closed_previous=closed_previous or [],
        cohort_id=s.cohort_id, cohort_name=s.cohort.name,
        program_sessions=len(s.cohort.program_definition().sessions),
        deadline_passed=s.deadline_passed(),
        progress=ProgressCounts(invited=current.invited, **current.counts),
        participants=[
            ParticipantProgress(
                participant_id=row.participant.id, invitation_id=row.invitation.id,
                name=row.participant.name, status=row.status,
                email_status=row.invitation.email_status,
                email_error=row.invitation.email_error,
                submitted_at=row.submitted_at, updated_at=row.updated_at,
            )
            for row in current.rows
        ],
    )


def _link_out(row: LinkRow) -> LinkOut:
    return LinkOut(
        invitation_id=row.invitation.id, participant_id=row.participant.id,
        name=row.participant.name, email=row.participant.email,
        status=row.status,
        link=row.link, email_status=row.invitation.email_status,
        email_error=row.invitation.email_error,
        emailed_at=row.invitation.emailed_at,
    )


def _row_for(db: Session, settings: Settings, s: CohortSession, invitation_id: int) -> LinkOut:
    for row in progress(db, settings, s).rows:
        if row.invitation.id == invitation_id:
            return _link_out(row)
    raise HTTPException(404, detail=f"invitation {invitation_id}: not found")


# --- a cohort's sessions ------------------------------------------------------------------


@cohort_sessions.get(
    "/{cohort_id}/sessions", response_model=list[SessionBrief],
    summary="The cohort's sessions so far",
)
def list_sessions(cohort: OwnedCohort) -> list[SessionBrief]:
    return [SessionBrief.model_validate(s) for s in cohort.sessions]


@cohort_sessions.post(
    "/{cohort_id}/sessions", status_code=201, response_model=SessionDetail,
    summary="Open the next session of the program, with one personal link per participant",
)
def open_session(
    cohort: OwnedCohort, db: SessionDep, settings: SettingsDep, body: SessionOpen | None = None
) -> SessionDetail:
    """Without a deadline, the suggested one: a month after the previous session's, at
    least a week away, at 23:59 in the cohort's time zone. With close_previous (the
    default), earlier sessions still open are closed (see closed_previous)."""
    body = body or SessionOpen()
    opens_on = body.opens_on or datetime.now(UTC).date()
    deadline = body.deadline or end_of_local_day(
        service.suggested_deadline(cohort, opens_on), cohort.time_zone
    )
    still_open = [s.id for s in service.open_sessions_before(
        cohort, body.number or service.next_session_number(cohort) or 0)]
    cohort_session = service.open_session(
        db, settings, cohort, deadline=deadline, opens_on=opens_on, number=body.number,
        close_previous=body.close_previous,
    )
    return session_out(db, settings, cohort_session,
                       closed_previous=still_open if body.close_previous else [])


# --- one session ----------------------------------------------------------------------------


@router.get("/{session_id}", response_model=SessionDetail, summary="A session and its progress")
def get_session(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> SessionDetail:
    """Who has submitted, who has a draft, who has opened the link and who has not."""
    return session_out(db, settings, s)


@router.patch(
    "/{session_id}", response_model=SessionDetail, summary="Move the deadline; close or reopen",
    responses={409: {"model": ErrorMessage,
                     "description": "Reopening a session whose pack was printed"}},
)
def update_session(
    s: OwnedSession, body: SessionPatch, db: SessionDep, settings: SettingsDep
) -> SessionDetail:
    service.update_session(db, s, deadline=body.deadline, status=body.status)
    return session_out(db, settings, s)


@router.get("/{session_id}/links", response_model=list[LinkOut], summary="Personal links")
def list_links(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> list[LinkOut]:
    return [_link_out(row) for row in progress(db, settings, s).rows]


@router.get(
    "/{session_id}/links.csv", response_class=Response, responses=CSV_RESPONSES,
    summary="Personal links as CSV (for a mail merge)",
)
def links_csv(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    text = exports.links_csv(progress(db, settings, s).rows)
    return attachment(text.encode(), "text/csv; charset=utf-8", f"session-{s.number}-links.csv")


@router.post(
    "/{session_id}/invitations/{invitation_id}/reissue", response_model=LinkOut,
    summary="Replace a link: the old one stops working at once",
)
def reissue(
    s: OwnedSession, invitation_id: InvitationId, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitator,
) -> LinkOut:
    invitation = get_invitation_for(db, facilitator, s.id, invitation_id)
    service.reissue_invitation(settings, invitation)
    db.flush()
    return _row_for(db, settings, s, invitation.id)


@router.post(
    "/{session_id}/invitations/{invitation_id}/revoke", response_model=LinkOut,
    summary="Revoke a link: it stops working (reissue to give a new one)",
)
def revoke(
    s: OwnedSession, invitation_id: InvitationId, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitator,
) -> LinkOut:
    invitation = get_invitation_for(db, facilitator, s.id, invitation_id)
    service.revoke_invitation(invitation)
    db.flush()
    return _row_for(db, settings, s, invitation.id)


@router.post(
    "/{session_id}/invitations/{invitation_id}/send", response_model=SendResult,
    responses=MAIL_ERRORS, summary="Email one participant their link (again)",
)
def send_one(
    s: OwnedSession, invitation_id: InvitationId, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitator,
) -> SendResult:
    invitation = get_invitation_for(db, facilitator, s.id, invitation_id)
    return _send(db, settings, s, [invitation], facilitator, reminder=False)


@router.post(
    "/{session_id}/send-links", response_model=SendResult, responses=MAIL_ERRORS,
    summary="Email the links that have not gone out yet (or all, with resend)",
)
def send_links(
    s: OwnedSession, db: SessionDep, settings: SettingsDep, facilitator: CurrentFacilitator,
    body: SendLinksIn | None = None,
) -> SendResult:
    rows = progress(db, settings, s).rows
    invitations = [row.invitation for row in rows]
    if body is not None and body.resend:
        chosen = [invitation for invitation in invitations if invitation.revoked_at is None]
    else:
        chosen = service.unsent(invitations)
    return _send(db, settings, s, chosen, facilitator, reminder=False)


@router.post(
    "/{session_id}/remind", response_model=SendResult, responses=MAIL_ERRORS,
    summary="Email a reminder to everyone who has not submitted",
)
def remind(
    s: OwnedSession, db: SessionDep, settings: SettingsDep, facilitator: CurrentFacilitator
) -> SendResult:
    chosen = progress(db, settings, s).not_submitted()
    return _send(db, settings, s, chosen, facilitator, reminder=True)


def _send(
    db: Session, settings: Settings, s: CohortSession, chosen: list[Invitation],
    facilitator: Facilitator, *, reminder: bool,
) -> SendResult:
    outbox = service.compose_links(settings, s, chosen, sender=facilitator, reminder=reminder)
    db.commit()  # the request's boundary: no transaction stays open while SMTP talks
    report = service.record_delivery(db, outbox, service.deliver(outbox), reminder=reminder)
    results = [
        SendOutcome(invitation_id=i.id, participant_id=i.participant_id,
                    email_status=i.email_status, email_error=i.email_error)
        for i in [*report.sent, *report.failed]
    ]
    return SendResult(sent=len(report.sent), failed=len(report.failed),
                      skipped=report.skipped, results=results)
