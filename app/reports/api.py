"""The facilitator's report downloads: /api/v1/sessions/{id}/reports/...

Every route takes its session through OwnedSession (404 unless you facilitate
its cohort). PDFs carry an ETag; a browser that has the version gets a 304.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request, Response

from app.cohorts.deps import OwnedCohort, ParticipantId
from app.cohorts.repository import get_participant_for
from app.core.db import Database
from app.core.deps import DatabaseDep, SessionDep, SettingsDep
from app.core.errors import NotFound
from app.core.schemas import PDF_RESPONSES, SESSION_ERRORS, ZIP_RESPONSES
from app.core.web import download
from app.facilitators.deps import CurrentFacilitator
from app.participation import repository as submissions
from app.participation.models import SubmissionStatus
from app.reports import journey, service
from app.reports.kit import facilitation_kit
from app.reports.service import RenderedPDF
from app.sessions.deps import OwnedSession
from app.sessions.service import mark_pack_printed

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"], responses=SESSION_ERRORS)


def _printed(database: Database, session_id: int) -> None:
    # A short write unit of its own: the rendering above held no write lock.
    with database.session() as writer:
        mark_pack_printed(writer, session_id)


def pdf_response(request: Request, rendered: RenderedPDF, *, inline: bool = True) -> Response:
    return download(request, rendered.content, etag=rendered.etag, filename=rendered.filename,
                    media_type=rendered.media_type, inline=inline)


@router.get("/{session_id}/reports/group.pdf", response_class=Response,
            responses=PDF_RESPONSES, summary="The group report (PDF)")
def group_pdf(
    request: Request, s: OwnedSession, db: SessionDep, settings: SettingsDep,
    copy: Literal["handout", "facilitator"] = Query(
        "handout", description="`facilitator`: unsuppressed counts, marked on every page "
        "as not for hand-out (signed-in facilitator only)."),
) -> Response:
    return pdf_response(request, service.group_report(
        db, s, settings=settings, facilitator_copy=copy == "facilitator"))


@router.get("/{session_id}/reports/pack.pdf", response_class=Response, responses=PDF_RESPONSES,
            summary="The session pack: group report, then every participant's (one PDF)")
def pack_pdf(
    request: Request, s: OwnedSession, db: SessionDep, settings: SettingsDep,
    database: DatabaseDep,
) -> Response:
    """Downloading the pack records it as printed: the session can no longer be reopened."""
    response = pdf_response(request, service.session_pack(db, s, settings=settings),
                            inline=False)
    db.commit()  # the cache rows; then the short write, never under a held transaction
    _printed(database, s.id)
    return response


@router.get("/{session_id}/reports/pack.zip", response_class=Response, responses=ZIP_RESPONSES,
            summary="The session's PDFs, separately, in a ZIP")
def pack_zip(
    request: Request, s: OwnedSession, db: SessionDep, settings: SettingsDep,
    database: DatabaseDep,
) -> Response:
    """Like the pack: recorded as printed."""
    response = pdf_response(request, service.session_zip(db, s, settings=settings),
                            inline=False)
    db.commit()  # the cache rows; then the short write, never under a held transaction
    _printed(database, s.id)
    return response


@router.get("/{session_id}/reports/worksheet.pdf", response_class=Response,
            responses=PDF_RESPONSES,
            summary="The blank worksheet: the exercise on paper (PDF, cohort's language)")
def worksheet_pdf(
    request: Request, s: OwnedSession, db: SessionDep, settings: SettingsDep
) -> Response:
    return pdf_response(request, service.worksheet(db, s, settings=settings))


@router.get("/{session_id}/reports/kit.pdf", response_class=Response,
            responses=PDF_RESPONSES,
            summary="The facilitation kit: agenda, steps, prompts, last month (PDF)")
def kit_pdf(
    request: Request, s: OwnedSession, db: SessionDep, settings: SettingsDep
) -> Response:
    """The session's plan in the cohort's language; its counts follow the disclosure rule."""
    return pdf_response(request, facilitation_kit(db, s, settings=settings))


@router.get("/{session_id}/reports/{participant_id}.pdf", response_class=Response,
            responses=PDF_RESPONSES, summary="One participant's report (PDF)")
def participant_pdf(
    request: Request, s: OwnedSession, participant_id: ParticipantId, db: SessionDep,
    settings: SettingsDep, facilitator: CurrentFacilitator,
) -> Response:
    participant = get_participant_for(db, facilitator, s.cohort_id, participant_id)
    submission = submissions.get_submission(db, s.id, participant.id)
    if submission is None or submission.status != SubmissionStatus.SUBMITTED:
        raise NotFound(f"participant {participant.id}: no submitted map in this session")
    rendered = service.individual_report(db, submission, settings=settings)
    return pdf_response(request, rendered)


# --- across the cohort's sessions --------------------------------------------------------

cohort_router = APIRouter(prefix="/api/v1/cohorts", tags=["cohorts"], responses={
    401: {"description": "Not signed in"},
    404: {"description": "No such cohort among yours, or no session yet"},
})


@cohort_router.get("/{cohort_id}/reports/journey.pdf", response_class=Response,
                   responses=PDF_RESPONSES,
                   summary="The cohort's journey across its sessions (PDF, anonymised)")
def cohort_journey_pdf(
    request: Request, cohort: OwnedCohort, db: SessionDep, settings: SettingsDep,
) -> Response:
    return pdf_response(request, journey.cohort_journey(db, cohort, settings=settings))
