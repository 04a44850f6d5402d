"""The session dashboard: progress, links, email, the group summary and downloads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.cohorts import service, sessions
from app.cohorts.access import NotFound, get_invitation_for
from app.cohorts.deps import InvitationId, WebSession, not_found
from app.cohorts.email import MailNotConfigured
from app.cohorts.errors import CohortError
from app.cohorts.models import CohortSession, Invitation
from app.cohorts.summary import group_analysis, summary_view
from app.config import Settings
from app.deps import CurrentFacilitatorWeb, SessionDep, SettingsDep
from app.facilitators.models import Facilitator
from app.facilitators.pages import page, see_other
from app.web import request_language

router = APIRouter(prefix="/sessions", include_in_schema=False)

POLL_SECONDS = 10


@router.get("/{session_id}", response_class=HTMLResponse)
def dashboard(
    request: Request, s: WebSession, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitatorWeb,
) -> Response:
    progress = sessions.progress(db, settings, s)
    lang = request_language(request)
    summary = summary_view(group_analysis(db, s, progress.counts), lang)
    program = service.cohort_program(s.cohort)
    return page(
        request, "facilitator/session.html",
        {
            "s": s,
            "cohort": s.cohort,
            "program_sessions": len(program.sessions),
            "progress": progress,
            "summary": summary,
            "deadline": sessions.as_utc(s.deadline),
            "deadline_passed": sessions.deadline_passed(s),
            "deadline_date": (sessions.as_utc(s.deadline) or s.deadline).date().isoformat(),
            "mail_ready": bool(settings.smtp_url),
            "unsent": len(sessions.unsent(progress.rows)),
            "not_submitted": len(sessions.not_submitted(progress.rows)),
            "poll_seconds": POLL_SECONDS,
            "errors": [],
        },
        facilitator=facilitator,
    )


def _send(
    db: Session, settings: Settings, s: CohortSession, chosen: list[Invitation],
    facilitator: Facilitator, *, reminder: bool, anchor: str = "links",
) -> Response:
    target = f"/sessions/{s.id}"
    if not chosen:
        return see_other(f"{target}#{anchor}", "nothing_to_send")
    try:
        report = sessions.send_links(db, settings, s, chosen, sender=facilitator,
                                     reminder=reminder)
    except MailNotConfigured:
        return see_other(f"{target}#{anchor}", "mail_not_configured")
    notice = "emails_failed" if report.failed else "emails_sent"
    return see_other(f"{target}#{anchor}", notice, n=len(report.sent), failed=len(report.failed))


@router.post("/{session_id}/send-links")
def send_links(
    s: WebSession, db: SessionDep, settings: SettingsDep, facilitator: CurrentFacilitatorWeb
) -> Response:
    chosen = sessions.unsent(sessions.progress(db, settings, s).rows)
    return _send(db, settings, s, chosen, facilitator, reminder=False)


@router.post("/{session_id}/remind")
def remind(
    s: WebSession, db: SessionDep, settings: SettingsDep, facilitator: CurrentFacilitatorWeb
) -> Response:
    chosen = sessions.not_submitted(sessions.progress(db, settings, s).rows)
    return _send(db, settings, s, chosen, facilitator, reminder=True)


def _invitation(
    db: Session, facilitator: Facilitator, s: CohortSession, invitation_id: int
) -> Invitation:
    try:
        return get_invitation_for(db, facilitator, s.id, invitation_id)
    except NotFound as exc:
        raise not_found(exc) from exc


@router.post("/{session_id}/invitations/{invitation_id}/send")
def send_one(
    s: WebSession, invitation_id: InvitationId, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitatorWeb,
) -> Response:
    invitation = _invitation(db, facilitator, s, invitation_id)
    return _send(db, settings, s, [invitation], facilitator, reminder=False,
                 anchor=f"invitation-{invitation.id}")


@router.post("/{session_id}/invitations/{invitation_id}/reissue")
def reissue(
    s: WebSession, invitation_id: InvitationId, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitatorWeb,
) -> Response:
    invitation = _invitation(db, facilitator, s, invitation_id)
    service.reissue_invitation(settings, invitation)
    return see_other(f"/sessions/{s.id}#invitation-{invitation.id}", "link_reissued")


@router.post("/{session_id}/invitations/{invitation_id}/revoke")
def revoke(
    s: WebSession, invitation_id: InvitationId, db: SessionDep,
    facilitator: CurrentFacilitatorWeb,
) -> Response:
    invitation = _invitation(db, facilitator, s, invitation_id)
    service.revoke_invitation(invitation)
    return see_other(f"/sessions/{s.id}#invitation-{invitation.id}", "link_revoked")


@router.post("/{session_id}/settings", response_class=HTMLResponse)
def update_settings(
    request: Request, s: WebSession, db: SessionDep, facilitator: CurrentFacilitatorWeb,
    deadline: Annotated[str, Form(max_length=20)] = "",
    status: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        due = None
        if deadline:
            try:
                due = datetime.combine(date.fromisoformat(deadline), time(23, 59), tzinfo=UTC)
            except ValueError as exc:
                raise CohortError(["deadline: choose a date"]) from exc
        service.update_session(db, s, deadline=due, status=status or None)
    except CohortError:
        db.rollback()
        return see_other(f"/sessions/{s.id}#settings", "deadline_invalid")
    notice = {"closed": "session_closed", "open": "session_reopened"}.get(status)
    return see_other(f"/sessions/{s.id}#settings", notice)
