"""Path parameters that resolve to the facilitator's own objects, or 404.

Every facilitator route takes its cohort or session through one of these, so
no handler can forget the ownership check (access.py does the lookups).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path

from app.cohorts.access import NotFound, get_cohort_for, get_session_for
from app.cohorts.errors import CohortError
from app.cohorts.models import Cohort, CohortSession
from app.deps import CurrentFacilitator, CurrentFacilitatorWeb, SessionDep

MAX_ID = 2_147_483_647  # ids are 32-bit integers in PostgreSQL

CohortId = Annotated[int, Path(ge=1, le=MAX_ID, description="A cohort's id.")]
SessionId = Annotated[int, Path(ge=1, le=MAX_ID, description="A session's id.")]
ParticipantId = Annotated[int, Path(ge=1, le=MAX_ID, description="A participant's id.")]
InvitationId = Annotated[int, Path(ge=1, le=MAX_ID, description="A personal link's id.")]
FacilitatorId = Annotated[int, Path(ge=1, le=MAX_ID, description="A facilitator's id.")]


def not_found(exc: NotFound) -> HTTPException:
    return HTTPException(404, detail=str(exc))


def unprocessable(exc: CohortError) -> HTTPException:
    """A domain error in the shape of FastAPI's own 422 (HTTPValidationError)."""
    detail = [
        {"loc": ["body", message.split(":", 1)[0].strip()], "msg": message, "type": "value_error"}
        for message in exc.errors
    ]
    return HTTPException(422, detail=detail)


def _api_cohort(cohort_id: CohortId, db: SessionDep, facilitator: CurrentFacilitator) -> Cohort:
    try:
        return get_cohort_for(db, facilitator, cohort_id)
    except NotFound as exc:
        raise not_found(exc) from exc


def _api_session(
    session_id: SessionId, db: SessionDep, facilitator: CurrentFacilitator
) -> CohortSession:
    try:
        return get_session_for(db, facilitator, session_id)
    except NotFound as exc:
        raise not_found(exc) from exc


def _web_cohort(
    cohort_id: CohortId, db: SessionDep, facilitator: CurrentFacilitatorWeb
) -> Cohort:
    try:
        return get_cohort_for(db, facilitator, cohort_id)
    except NotFound as exc:
        raise not_found(exc) from exc


def _web_session(
    session_id: SessionId, db: SessionDep, facilitator: CurrentFacilitatorWeb
) -> CohortSession:
    try:
        return get_session_for(db, facilitator, session_id)
    except NotFound as exc:
        raise not_found(exc) from exc


OwnedCohort = Annotated[Cohort, Depends(_api_cohort)]
OwnedSession = Annotated[CohortSession, Depends(_api_session)]
WebCohort = Annotated[Cohort, Depends(_web_cohort)]
WebSession = Annotated[CohortSession, Depends(_web_session)]
