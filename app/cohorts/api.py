"""JSON API for cohorts, rosters and co-facilitators (/api/v1/cohorts).

Authenticate with a bearer token from POST /api/v1/auth/token. Every route
reaches its cohort through OwnedCohort, which answers 404 for anyone who does
not facilitate it. A cohort's sessions are in app/sessions/api.py.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from app.cohorts import service
from app.cohorts.deps import FacilitatorId, OwnedCohort, ParticipantId
from app.cohorts.merge import MergePlan, plan_merge
from app.cohorts.models import Cohort, Participant
from app.cohorts.repository import cohorts_for, get_participant_for
from app.cohorts.roster import decode_upload
from app.cohorts.schemas import (
    CoFacilitatorIn,
    CohortCreate,
    CohortOut,
    CohortPatch,
    FieldChangeOut,
    ImportResult,
    ParticipantIn,
    ParticipantPatch,
    PreviewChanged,
    PreviewNew,
    PreviewUnchanged,
    RosterEntry,
    RosterPreview,
    RowProblemOut,
)
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Invalid
from app.core.schemas import ErrorMessage, Responses
from app.facilitators.deps import CurrentFacilitator
from app.facilitators.schemas import FacilitatorOut
from app.privacy import service as privacy
from app.sessions.schemas import SessionBrief
from app.sessions.service import enrol_participants, merge_roster, next_session_number

ERRORS: Responses = {
    401: {"model": ErrorMessage, "description": "Not signed in"},
    404: {"model": ErrorMessage, "description": "No such cohort among yours"},
}
MAX_PARTICIPANTS_AT_ONCE = 500

router = APIRouter(prefix="/api/v1/cohorts", tags=["cohorts"], responses=ERRORS)


def cohort_out(cohort: Cohort) -> CohortOut:
    program = cohort.program_definition()
    return CohortOut(
        id=cohort.id,
        name=cohort.name,
        program_id=cohort.program_id,
        program_name=program.name.get(cohort.language) or program.name.get("en") or program.id,
        language=cohort.language,
        time_zone=cohort.time_zone,
        created_at=cohort.created_at,
        participant_count=len(cohort.participants),
        program_sessions=len(program.sessions),
        next_session_number=next_session_number(cohort),
        facilitators=_facilitators_out(cohort),
        sessions=[SessionBrief.model_validate(s) for s in cohort.sessions],
    )


def _participants_out(participants: list[Participant]) -> list[RosterEntry]:
    return [RosterEntry.model_validate(p) for p in participants]


def _facilitators_out(cohort: Cohort) -> list[FacilitatorOut]:
    return [FacilitatorOut.model_validate(f, from_attributes=True) for f in cohort.facilitators]


@router.get("", response_model=list[CohortOut], summary="The cohorts you facilitate")
def list_cohorts(db: SessionDep, facilitator: CurrentFacilitator) -> list[CohortOut]:
    return [cohort_out(cohort) for cohort in cohorts_for(db, facilitator)]


@router.post(
    "", status_code=201, response_model=CohortOut,
    summary="Create a cohort from a program, optionally with its roster",
)
def create_cohort(body: CohortCreate, db: SessionDep, facilitator: CurrentFacilitator) -> CohortOut:
    """You become its facilitator. The roster, if given, is added all-or-nothing."""
    cohort = service.create_cohort_with_roster(
        db, facilitator, name=body.name, program_id=body.program_id,
        language=body.language, roster=body.participants, time_zone=body.time_zone,
    )
    return cohort_out(cohort)


@router.get("/{cohort_id}", response_model=CohortOut, summary="One cohort")
def get_cohort(cohort: OwnedCohort) -> CohortOut:
    return cohort_out(cohort)


@router.patch("/{cohort_id}", response_model=CohortOut, summary="Change the time zone")
def update_cohort(cohort: OwnedCohort, body: CohortPatch, db: SessionDep) -> CohortOut:
    """Deadlines keep their instant; they are shown in the new zone from now on."""
    service.set_time_zone(db, cohort, body.time_zone)
    return cohort_out(cohort)


@router.delete(
    "/{cohort_id}", status_code=204,
    summary="Erase a cohort and everything in it (participants, sessions, maps, PDFs)",
)
def delete_cohort(cohort: OwnedCohort, db: SessionDep) -> None:
    privacy.erase_cohort(db, cohort.id)


# --- roster ---------------------------------------------------------------------------


@router.get("/{cohort_id}/participants", response_model=list[RosterEntry], summary="The roster")
def list_participants(cohort: OwnedCohort) -> list[RosterEntry]:
    return _participants_out(cohort.participants)


@router.post(
    "/{cohort_id}/participants", status_code=201, response_model=list[RosterEntry],
    summary="Add participants (a JSON list), all or none",
)
def add_participants(
    cohort: OwnedCohort, body: list[ParticipantIn], db: SessionDep, settings: SettingsDep
) -> list[RosterEntry]:
    """Each new participant also gets a personal link in every open session."""
    if len(body) > MAX_PARTICIPANTS_AT_ONCE:
        raise Invalid(f"body: at most {MAX_PARTICIPANTS_AT_ONCE} participants at once")
    return _participants_out(enrol_participants(db, settings, cohort, body))


@router.post(
    "/{cohort_id}/participants/import/preview", response_model=RosterPreview,
    summary="Preview a roster CSV: who is new, what changes, what is unchanged, problems",
)
def preview_import(
    cohort: OwnedCohort,
    file: Annotated[UploadFile, File(description="The roster, CSV in UTF-8.")],
) -> RosterPreview:
    """A dry run: nothing is stored. Problems are listed per row and field."""
    plan = plan_merge(cohort, decode_upload(file.file.read(600_000)))
    return preview_out(plan)


@router.post(
    "/{cohort_id}/participants/import", status_code=201, response_model=ImportResult,
    responses={409: {"model": ErrorMessage,
                     "description": "The roster changed since the preview (digest)"}},
    summary="Merge a roster CSV (name,email[,organization,function,industry,language])",
)
def import_participants(
    cohort: OwnedCohort,
    file: Annotated[UploadFile, File(description="The roster, CSV in UTF-8.")],
    db: SessionDep,
    settings: SettingsDep,
    digest: Annotated[str | None, Form(max_length=64, description=(
        "The preview's digest: the import then does exactly what was previewed, or 409."
    ))] = None,
) -> ImportResult:
    """Matched by email: new people are added (with links for open sessions), known ones
    updated where a cell differs (an empty cell keeps the stored value), nobody removed.
    Every bad row is reported (422, one entry per problem, "row N, field: ...") and then
    nothing is written."""
    plan, added = merge_roster(db, settings, cohort, decode_upload(file.file.read(600_000)),
                               expected_digest=digest)
    return ImportResult(
        added=len(added), updated=len(plan.changed), unchanged=len(plan.unchanged),
        participants=_participants_out(added),
        updated_participants=_participants_out([row.participant for row in plan.changed]),
    )


def preview_out(plan: MergePlan) -> RosterPreview:
    return RosterPreview(
        new=[PreviewNew(row=row.row, **row.person.model_dump()) for row in plan.new],
        changed=[
            PreviewChanged(
                row=row.row, participant_id=row.participant.id, name=row.participant.name,
                email=row.participant.email,
                changes=[FieldChangeOut(field=c.field, old=c.old, new=c.new)
                         for c in row.changes],
            )
            for row in plan.changed
        ],
        unchanged=[PreviewUnchanged(row=line, participant_id=p.id, name=p.name, email=p.email)
                   for line, p in plan.unchanged],
        problems=[RowProblemOut(row=p.row, field=p.field, message=p.message)
                  for p in plan.problems],
        digest=plan.digest, can_apply=not plan.problems,
    )


@router.patch(
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
    participant = get_participant_for(db, facilitator, cohort.id, participant_id)
    return RosterEntry.model_validate(service.update_participant(db, participant, body))


@router.delete(
    "/{cohort_id}/participants/{participant_id}", status_code=204,
    summary="Remove a participant and erase their links, maps and reports",
)
def remove_participant(
    cohort: OwnedCohort, participant_id: ParticipantId, db: SessionDep,
    facilitator: CurrentFacilitator,
) -> None:
    participant = get_participant_for(db, facilitator, cohort.id, participant_id)
    privacy.erase_participant(db, participant.id)


# --- co-facilitators ------------------------------------------------------------------


@router.get(
    "/{cohort_id}/facilitators", response_model=list[FacilitatorOut],
    summary="Who facilitates this cohort",
)
def list_facilitators(cohort: OwnedCohort) -> list[FacilitatorOut]:
    return _facilitators_out(cohort)


@router.post(
    "/{cohort_id}/facilitators", status_code=201, response_model=list[FacilitatorOut],
    summary="Add a co-facilitator by email (they need an account)",
)
def add_facilitator(
    cohort: OwnedCohort, body: CoFacilitatorIn, db: SessionDep
) -> list[FacilitatorOut]:
    service.add_cofacilitator(db, cohort, body.email)
    return _facilitators_out(cohort)


@router.delete(
    "/{cohort_id}/facilitators/{facilitator_id}", status_code=204,
    summary="Remove a facilitator from the cohort (one always remains)",
)
def remove_facilitator(cohort: OwnedCohort, facilitator_id: FacilitatorId, db: SessionDep) -> None:
    service.remove_cofacilitator(db, cohort, facilitator_id)
