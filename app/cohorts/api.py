"""JSON API for cohorts, rosters and co-facilitators (/api/v1/cohorts).

Authenticate with a bearer token from POST /api/v1/auth/token. Every route
reaches its cohort through OwnedCohort, which answers 404 for anyone who does
not facilitate it. The session routes are in api_sessions.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, UploadFile

from app.cohorts import service
from app.cohorts.access import NotFound, get_participant_for
from app.cohorts.api_schemas import (
    CoFacilitatorIn,
    CohortCreate,
    CohortOut,
    ErrorMessage,
    FacilitatorOut,
    ImportResult,
    ParticipantIn,
    RosterEntry,
    SessionBrief,
    SessionDetail,
    SessionOpen,
)
from app.cohorts.api_sessions import router as sessions_router
from app.cohorts.api_sessions import session_out
from app.cohorts.deps import (
    FacilitatorId,
    OwnedCohort,
    ParticipantId,
    not_found,
    unprocessable,
)
from app.cohorts.errors import CohortError
from app.cohorts.models import Cohort, Participant
from app.cohorts.roster import decode_upload, parse_roster_csv
from app.cohorts.schemas import ParticipantPatch
from app.deps import CurrentFacilitator, SessionDep, SettingsDep

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorMessage, "description": "Not signed in"},
    404: {"model": ErrorMessage, "description": "No such cohort among yours"},
}

cohorts_router = APIRouter(prefix="/api/v1/cohorts", tags=["cohorts"], responses=ERRORS)


def cohort_out(cohort: Cohort) -> CohortOut:
    program = service.cohort_program(cohort)
    return CohortOut(
        id=cohort.id,
        name=cohort.name,
        program_id=cohort.program_id,
        program_name=program.name.get(cohort.language) or program.name.get("en") or program.id,
        language=cohort.language,
        created_at=cohort.created_at,
        participant_count=len(cohort.participants),
        program_sessions=len(program.sessions),
        next_session_number=service.next_session_number(cohort),
        facilitators=[FacilitatorOut.model_validate(f, from_attributes=True)
                      for f in cohort.facilitators],
        sessions=[SessionBrief.model_validate(s) for s in cohort.sessions],
    )


def _participants_out(participants: list[Participant]) -> list[RosterEntry]:
    return [RosterEntry.model_validate(p) for p in participants]


@cohorts_router.get("", response_model=list[CohortOut], summary="The cohorts you facilitate")
def list_cohorts(db: SessionDep, facilitator: CurrentFacilitator) -> list[CohortOut]:
    return [cohort_out(cohort) for cohort in service.cohorts_for(db, facilitator)]


@cohorts_router.post(
    "", status_code=201, response_model=CohortOut,
    summary="Create a cohort from a program, optionally with its roster",
)
def create_cohort(
    body: CohortCreate, db: SessionDep, settings: SettingsDep, facilitator: CurrentFacilitator
) -> CohortOut:
    """You become its facilitator. The roster, if given, is added all-or-nothing."""
    try:
        cohort = service.create_cohort_with_roster(
            db, settings, facilitator, name=body.name, program_id=body.program_id,
            language=body.language, roster=body.participants,
        )
    except CohortError as exc:
        raise unprocessable(exc) from exc
    return cohort_out(cohort)


@cohorts_router.get("/{cohort_id}", response_model=CohortOut, summary="One cohort")
def get_cohort(cohort: OwnedCohort) -> CohortOut:
    return cohort_out(cohort)


@cohorts_router.delete(
    "/{cohort_id}", status_code=204,
    summary="Erase a cohort and everything in it (participants, sessions, maps, PDFs)",
)
def delete_cohort(cohort: OwnedCohort, db: SessionDep) -> None:
    service.delete_cohort(db, cohort)


# --- roster ---------------------------------------------------------------------------


@cohorts_router.get(
    "/{cohort_id}/participants", response_model=list[RosterEntry], summary="The roster"
)
def list_participants(cohort: OwnedCohort) -> list[RosterEntry]:
    return _participants_out(cohort.participants)


@cohorts_router.post(
    "/{cohort_id}/participants", status_code=201, response_model=list[RosterEntry],
    summary="Add participants (a JSON list), all or none",
)
def add_participants(
    cohort: OwnedCohort, body: list[ParticipantIn], db: SessionDep, settings: SettingsDep
) -> list[RosterEntry]:
    """Each new participant also gets a personal link in every open session."""
    if len(body) > 500:
        raise HTTPException(422, detail="body: at most 500 participants at once")
    try:
        return _participants_out(service.add_participants(db, settings, cohort, body))
    except CohortError as exc:
        raise unprocessable(exc) from exc


@cohorts_router.post(
    "/{cohort_id}/participants/import", status_code=201, response_model=ImportResult,
    summary="Import a roster CSV (name,email[,organization,function,industry,language])",
)
def import_participants(
    cohort: OwnedCohort,
    file: Annotated[UploadFile, File(description="The roster, CSV in UTF-8.")],
    db: SessionDep,
    settings: SettingsDep,
) -> ImportResult:
    """Every bad row is reported (422, one entry per problem) and then nothing is added."""
    try:
        rows = parse_roster_csv(decode_upload(file.file.read(600_000)))
        added = service.add_participants(db, settings, cohort, rows)
    except CohortError as exc:
        raise unprocessable(exc) from exc
    return ImportResult(added=len(added), participants=_participants_out(added))


@cohorts_router.patch(
    "/{cohort_id}/participants/{participant_id}", response_model=RosterEntry,
    summary="Edit a participant",
)
def update_participant(
    cohort: OwnedCohort,
    participant_id: ParticipantId,
    body: ParticipantPatch,
    db: SessionDep,
    facilitator: CurrentFacilitator,
) -> RosterEntry:
    try:
        participant = get_participant_for(db, facilitator, cohort.id, participant_id)
        return RosterEntry.model_validate(service.update_participant(db, participant, body))
    except NotFound as exc:
        raise not_found(exc) from exc
    except CohortError as exc:
        raise unprocessable(exc) from exc


@cohorts_router.delete(
    "/{cohort_id}/participants/{participant_id}", status_code=204,
    summary="Remove a participant and erase their links, maps and reports",
)
def remove_participant(
    cohort: OwnedCohort, participant_id: ParticipantId, db: SessionDep,
    facilitator: CurrentFacilitator,
) -> None:
    try:
        participant = get_participant_for(db, facilitator, cohort.id, participant_id)
    except NotFound as exc:
        raise not_found(exc) from exc
    service.remove_participant(db, participant)


# --- co-facilitators ------------------------------------------------------------------


def _facilitators_out(cohort: Cohort) -> list[FacilitatorOut]:
    return [FacilitatorOut.model_validate(f, from_attributes=True) for f in cohort.facilitators]


@cohorts_router.get(
    "/{cohort_id}/facilitators", response_model=list[FacilitatorOut],
    summary="Who facilitates this cohort",
)
def list_facilitators(cohort: OwnedCohort) -> list[FacilitatorOut]:
    return _facilitators_out(cohort)


@cohorts_router.post(
    "/{cohort_id}/facilitators", status_code=201, response_model=list[FacilitatorOut],
    summary="Add a co-facilitator by email (they need an account)",
)
def add_facilitator(
    cohort: OwnedCohort, body: CoFacilitatorIn, db: SessionDep
) -> list[FacilitatorOut]:
    try:
        service.add_cofacilitator(db, cohort, body.email)
    except CohortError as exc:
        raise unprocessable(exc) from exc
    return _facilitators_out(cohort)


@cohorts_router.delete(
    "/{cohort_id}/facilitators/{facilitator_id}", status_code=204,
    summary="Remove a facilitator from the cohort (one always remains)",
)
def remove_facilitator(cohort: OwnedCohort, facilitator_id: FacilitatorId, db: SessionDep) -> None:
    try:
        service.remove_cofacilitator(db, cohort, facilitator_id)
    except NotFound as exc:
        raise not_found(exc) from exc
    except CohortError as exc:
        raise unprocessable(exc) from exc


# --- sessions -------------------------------------------------------------------------


@cohorts_router.get(
    "/{cohort_id}/sessions", response_model=list[SessionBrief], tags=["sessions"],
    summary="The cohort's sessions so far",
)
def list_sessions(cohort: OwnedCohort) -> list[SessionBrief]:
    return [SessionBrief.model_validate(s) for s in cohort.sessions]


@cohorts_router.post(
    "/{cohort_id}/sessions", status_code=201, response_model=SessionDetail, tags=["sessions"],
    summary="Open the next session of the program, with one personal link per participant",
)
def open_session(
    cohort: OwnedCohort, db: SessionDep, settings: SettingsDep, body: SessionOpen | None = None
) -> SessionDetail:
    body = body or SessionOpen()
    try:
        opens_on = body.opens_on or datetime.now(UTC).date()
        deadline = body.deadline or service.default_deadline(opens_on)
        cohort_session = service.open_session(
            db, settings, cohort, deadline=deadline, opens_on=opens_on
        )
    except CohortError as exc:
        raise unprocessable(exc) from exc
    return session_out(db, settings, cohort_session)


router = APIRouter()
router.include_router(cohorts_router)
router.include_router(sessions_router)
