"""JSON API for one session (/api/v1/sessions/{session_id}): progress, links, email,
the group analysis, reports and exports. Every route takes its session through
OwnedSession (404 unless you facilitate its cohort).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.orm import Session

from app.cohorts import exports, reports, service, sessions
from app.cohorts.access import NotFound, get_invitation_for, get_participant_for
from app.cohorts.api_schemas import (
    ErrorMessage,
    GroupOut,
    LinkOut,
    ParticipantProgress,
    ProgressCounts,
    SendLinksIn,
    SendOutcome,
    SendResult,
    SessionDetail,
    SessionPatch,
)
from app.cohorts.deps import InvitationId, OwnedSession, ParticipantId, not_found, unprocessable
from app.cohorts.email import MailNotConfigured
from app.cohorts.errors import CohortError
from app.cohorts.models import CohortSession
from app.cohorts.summary import group_analysis
from app.config import Settings
from app.deps import CurrentFacilitator, SessionDep, SettingsDep
from app.web import request_language

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorMessage, "description": "Not signed in"},
    404: {"model": ErrorMessage, "description": "No such session among your cohorts"},
}
MAIL_ERRORS: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorMessage, "description": "Email is not configured (SMTP_URL)"},
}
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The PDF"},
    304: {"description": "Not modified (ETag)"},
    503: {"model": ErrorMessage, "description": "PDF rendering is unavailable"},
}
ZIP: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {}}, "description": "A ZIP archive"}
}
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "CSV (UTF-8 with BOM)"}
}

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"], responses=ERRORS)


def session_out(db: Session, settings: Settings, s: CohortSession) -> SessionDetail:
    progress = sessions.progress(db, settings, s)
    program = service.cohort_program(s.cohort)
    return SessionDetail(
        id=s.id, number=s.number, title=s.title, status=s.status,
        opens_on=s.opens_on, deadline=sessions.as_utc(s.deadline) or s.deadline,
        cohort_id=s.cohort_id, cohort_name=s.cohort.name,
        program_sessions=len(program.sessions),
        deadline_passed=sessions.deadline_passed(s),
        progress=ProgressCounts(invited=progress.invited, **progress.counts),
        participants=[
            ParticipantProgress(
                participant_id=row.participant.id, invitation_id=row.invitation.id,
                name=row.participant.name, status=row.status,
                email_status=row.invitation.email_status,
                email_error=row.invitation.email_error,
                submitted_at=row.submitted_at, updated_at=row.updated_at,
            )
            for row in progress.rows
        ],
    )


def _link_out(row: sessions.LinkRow) -> LinkOut:
    return LinkOut(
        invitation_id=row.invitation.id, participant_id=row.participant.id,
        name=row.participant.name, email=row.participant.email,
        status=row.status,
        link=row.link, email_status=row.invitation.email_status,
        email_error=row.invitation.email_error,
        emailed_at=sessions.as_utc(row.invitation.emailed_at),
    )


def _row_for(db: Session, settings: Settings, s: CohortSession, invitation_id: int) -> LinkOut:
    for row in sessions.progress(db, settings, s).rows:
        if row.invitation.id == invitation_id:
            return _link_out(row)
    raise HTTPException(404, detail=f"invitation {invitation_id}: not found")


@router.get("/{session_id}", response_model=SessionDetail, summary="A session and its progress")
def get_session(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> SessionDetail:
    """Who has submitted, who has a draft, who has opened the link and who has not."""
    return session_out(db, settings, s)


@router.patch("/{session_id}", response_model=SessionDetail, summary="Move the deadline; close")
def update_session(
    s: OwnedSession, body: SessionPatch, db: SessionDep, settings: SettingsDep
) -> SessionDetail:
    try:
        service.update_session(db, s, deadline=body.deadline, status=body.status)
    except CohortError as exc:
        raise unprocessable(exc) from exc
    return session_out(db, settings, s)


@router.get("/{session_id}/links", response_model=list[LinkOut], summary="Personal links")
def list_links(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> list[LinkOut]:
    return [_link_out(row) for row in sessions.progress(db, settings, s).rows]


@router.get(
    "/{session_id}/links.csv", response_class=Response, responses=CSV,
    summary="Personal links as CSV (for a mail merge)",
)
def links_csv(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    text = exports.links_csv(sessions.progress(db, settings, s).rows)
    return _download(text.encode(), "text/csv; charset=utf-8", f"session-{s.number}-links.csv")


@router.post(
    "/{session_id}/invitations/{invitation_id}/reissue", response_model=LinkOut,
    summary="Replace a link: the old one stops working at once",
)
def reissue(
    s: OwnedSession, invitation_id: InvitationId, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitator,
) -> LinkOut:
    invitation = _invitation(db, facilitator, s, invitation_id)
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
    invitation = _invitation(db, facilitator, s, invitation_id)
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
    invitation = _invitation(db, facilitator, s, invitation_id)
    return _send(db, settings, s, [invitation], facilitator, reminder=False)


@router.post(
    "/{session_id}/send-links", response_model=SendResult, responses=MAIL_ERRORS,
    summary="Email the links that have not gone out yet (or all, with resend)",
)
def send_links(
    s: OwnedSession, db: SessionDep, settings: SettingsDep, facilitator: CurrentFacilitator,
    body: SendLinksIn | None = None,
) -> SendResult:
    rows = sessions.progress(db, settings, s).rows
    if body is not None and body.resend:
        chosen = [row.invitation for row in rows if row.status != "revoked"]
    else:
        chosen = sessions.unsent(rows)
    return _send(db, settings, s, chosen, facilitator, reminder=False)


@router.post(
    "/{session_id}/remind", response_model=SendResult, responses=MAIL_ERRORS,
    summary="Email a reminder to everyone who has not submitted",
)
def remind(
    s: OwnedSession, db: SessionDep, settings: SettingsDep, facilitator: CurrentFacilitator
) -> SendResult:
    chosen = sessions.not_submitted(sessions.progress(db, settings, s).rows)
    return _send(db, settings, s, chosen, facilitator, reminder=True)


@router.get(
    "/{session_id}/group", response_model=GroupOut,
    summary="The group analysis (no contact labels; small groups suppressed)",
)
def group(s: OwnedSession, db: SessionDep, settings: SettingsDep, request: Request) -> Any:
    counts = sessions.progress(db, settings, s).counts
    return group_analysis(db, s, counts).to_json(request_language(request, s.cohort.language))


@router.get("/{session_id}/reports/group.pdf", response_class=Response, responses=PDF,
            summary="The group report (PDF)")
def group_pdf(request: Request, s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    return reports.group_pdf(request, db, settings, s)


@router.get("/{session_id}/reports/pack.pdf", response_class=Response, responses=PDF,
            summary="The session pack: group report, then every participant's (one PDF)")
def pack_pdf(request: Request, s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    return reports.pack_pdf(request, db, settings, s)


@router.get("/{session_id}/reports/pack.zip", response_class=Response, responses=ZIP,
            summary="The session's PDFs, separately, in a ZIP")
def pack_zip(request: Request, s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    return reports.pack_zip(request, db, settings, s)


@router.get("/{session_id}/reports/{participant_id}.pdf", response_class=Response,
            responses=PDF, summary="One participant's report (PDF)")
def participant_pdf(
    request: Request, s: OwnedSession, participant_id: ParticipantId, db: SessionDep,
    settings: SettingsDep, facilitator: CurrentFacilitator,
) -> Response:
    try:
        participant = get_participant_for(db, facilitator, s.cohort_id, participant_id)
    except NotFound as exc:
        raise not_found(exc) from exc
    return reports.participant_pdf(request, db, settings, s, participant)


@router.get("/{session_id}/export.csv", response_class=Response, responses=CSV,
            summary="Session data: one row per contact (formula-safe CSV)")
def export_csv(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    rows = sessions.progress(db, settings, s).rows
    text = exports.session_csv(db, s, rows)
    return _download(text.encode(), "text/csv; charset=utf-8", f"session-{s.number}-data.csv")


@router.get("/{session_id}/export/egor.zip", response_class=Response, responses=ZIP,
            summary="egor-style tables: egos, alters, alter_ties")
def export_egor(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    rows = sessions.progress(db, settings, s).rows
    return _download(exports.egor_zip(db, s, rows), "application/zip",
                     f"session-{s.number}-egor.zip")


@router.get("/{session_id}/export/graphml.zip", response_class=Response, responses=ZIP,
            summary="One GraphML file per submitted map")
def export_graphml(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    rows = sessions.progress(db, settings, s).rows
    return _download(exports.graphml_zip(db, s, rows), "application/zip",
                     f"session-{s.number}-graphml.zip")


# --- helpers --------------------------------------------------------------------------


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content, media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _invitation(db: Session, facilitator: Any, s: CohortSession, invitation_id: int) -> Any:
    try:
        return get_invitation_for(db, facilitator, s.id, invitation_id)
    except NotFound as exc:
        raise not_found(exc) from exc


def _send(
    db: Session, settings: Settings, s: CohortSession, chosen: list[Any], facilitator: Any,
    *, reminder: bool,
) -> SendResult:
    try:
        report = sessions.send_links(
            db, settings, s, chosen, sender=facilitator, reminder=reminder
        )
    except MailNotConfigured as exc:
        raise HTTPException(409, detail=str(exc)) from exc
    results = [
        SendOutcome(invitation_id=i.id, participant_id=i.participant_id,
                    email_status=i.email_status,
                    email_error=i.email_error)
        for i in [*report.sent, *report.failed]
    ]
    return SendResult(sent=len(report.sent), failed=len(report.failed),
                      skipped=report.skipped, results=results)
