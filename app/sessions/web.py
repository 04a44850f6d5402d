"""Session actions from the facilitator's session page: email links and reminders,
reissue and revoke a link, move the deadline, close and reopen."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Invalid
from app.core.mail import MailNotConfigured
from app.core.timezones import end_of_local_day
from app.core.web import RollbackWith
from app.facilitators.deps import CurrentFacilitatorWeb
from app.facilitators.models import Facilitator
from app.facilitators.pages import see_other
from app.participation.progress import progress
from app.sessions import service
from app.sessions.deps import InvitationId, WebSession
from app.sessions.models import CohortSession, Invitation
from app.sessions.repository import get_invitation_for

router = APIRouter(prefix="/sessions", include_in_schema=False)


def _send(
    db: Session, settings: Settings, s: CohortSession, chosen: list[Invitation],
    facilitator: Facilitator, *, reminder: bool, anchor: str = "links",
) -> Response:
    target = f"/sessions/{s.id}#{anchor}"
    if not chosen:
        return see_other(target, "nothing_to_send")
    try:
        outbox = service.compose_links(settings, s, chosen, sender=facilitator,
                                       reminder=reminder)
    except MailNotConfigured:
        return see_other(target, "mail_not_configured")
    db.commit()  # the request's boundary: no transaction stays open while SMTP talks
    report = service.record_delivery(db, outbox, service.deliver(outbox), reminder=reminder)
    notice = "emails_failed" if report.failed else "emails_sent"
    return see_other(target, notice, n=len(report.sent), failed=len(report.failed))


@router.post("/{session_id}/send-links")
def send_links(
    s: WebSession, db: SessionDep, settings: SettingsDep, facilitator: CurrentFacilitatorWeb
) -> Response:
    chosen = service.unsent(row.invitation for row in progress(db, settings, s).rows)
    return _send(db, settings, s, chosen, facilitator, reminder=False)


@router.post("/{session_id}/remind")
def remind(
    s: WebSession, db: SessionDep, settings: SettingsDep, facilitator: CurrentFacilitatorWeb
) -> Response:
    chosen = progress(db, settings, s).not_submitted()
    return _send(db, settings, s, chosen, facilitator, reminder=True)


@router.post("/{session_id}/invitations/{invitation_id}/send")
def send_one(
    s: WebSession, invitation_id: InvitationId, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitatorWeb,
) -> Response:
    invitation = get_invitation_for(db, facilitator, s.id, invitation_id)
    return _send(db, settings, s, [invitation], facilitator, reminder=False,
                 anchor=f"invitation-{invitation.id}")


@router.post("/{session_id}/invitations/{invitation_id}/reissue")
def reissue(
    s: WebSession, invitation_id: InvitationId, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitatorWeb,
) -> Response:
    invitation = get_invitation_for(db, facilitator, s.id, invitation_id)
    service.reissue_invitation(settings, invitation)
    return see_other(f"/sessions/{s.id}#invitation-{invitation.id}", "link_reissued")


@router.post("/{session_id}/invitations/{invitation_id}/revoke")
def revoke(
    s: WebSession, invitation_id: InvitationId, db: SessionDep,
    facilitator: CurrentFacilitatorWeb,
) -> Response:
    invitation = get_invitation_for(db, facilitator, s.id, invitation_id)
    service.revoke_invitation(invitation)
    return see_other(f"/sessions/{s.id}#invitation-{invitation.id}", "link_revoked")


@router.post("/{session_id}/settings")
def update_settings(
    s: WebSession, db: SessionDep, facilitator: CurrentFacilitatorWeb,
    deadline: Annotated[str, Form(max_length=20)] = "",
    status: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        due = None
        if deadline:
            try:
                due = end_of_local_day(date.fromisoformat(deadline), s.cohort.time_zone)
            except ValueError as exc:
                raise Invalid("deadline: choose a date") from exc
        service.update_session(db, s, deadline=due, status=status or None)
    except service.PackPrinted as exc:
        raise RollbackWith(see_other(f"/sessions/{s.id}#settings", "reopen_refused")) from exc
    except Invalid as exc:
        raise RollbackWith(see_other(f"/sessions/{s.id}#settings", "deadline_invalid")) from exc
    notice = {"closed": "session_closed", "open": "session_reopened"}.get(status)
    return see_other(f"/sessions/{s.id}#settings", notice)
