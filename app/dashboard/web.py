"""The facilitator's session page: progress, links, the group summary and downloads."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.core.deps import SessionDep, SettingsDep
from app.core.i18n import normalize_language
from app.core.timezones import local_date
from app.core.web import render, request_language
from app.dashboard.service import debrief_slides, group_analysis, summary_view
from app.facilitators.deps import CurrentFacilitatorWeb
from app.facilitators.pages import page
from app.participation.progress import progress
from app.sessions import repository as sessions
from app.sessions.deps import WebSession
from app.sessions.service import unsent

router = APIRouter(prefix="/sessions", include_in_schema=False)

POLL_SECONDS = 10


@router.get("/{session_id}", response_class=HTMLResponse)
def dashboard(
    request: Request, s: WebSession, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitatorWeb,
) -> Response:
    current = progress(db, settings, s)
    lang = request_language(request)
    summary = summary_view(group_analysis(db, s), lang)
    return page(
        request, "facilitator/session.html",
        {
            "s": s,
            "cohort": s.cohort,
            "program_sessions": len(s.cohort.program_definition().sessions),
            "progress": current,
            "summary": summary,
            "deadline": s.deadline,
            "deadline_passed": s.deadline_passed(),
            "deadline_date": local_date(s.deadline, s.cohort.time_zone).isoformat(),
            "pack_printed_at": s.pack_printed_at,
            "mail_ready": bool(settings.smtp_url),
            "unsent": len(unsent(row.invitation for row in current.rows)),
            "not_submitted": len(current.not_submitted()),
            "poll_seconds": POLL_SECONDS,
            "errors": [],
        },
        facilitator=facilitator,
    )


@router.get("/{session_id}/debrief", response_class=HTMLResponse)
def debrief(request: Request, s: WebSession, db: SessionDep,
            facilitator: CurrentFacilitatorWeb) -> Response:
    """The group picture as full-screen slides for the projector, in the cohort's language."""
    lang = normalize_language(s.cohort.language)
    slides = debrief_slides(group_analysis(db, s), lang,
                            s.cohort.program_definition(), s.number,
                            first_session=sessions.previous_session(db, s) is None)
    return render(request, "facilitator/debrief.html",
                  {"s": s, "cohort": s.cohort, "slides": slides}, lang=lang)
