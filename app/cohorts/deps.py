"""Path parameters that resolve to the facilitator's own cohort, or 404.

Every facilitator route takes its cohort through one of these, so no handler can
forget the ownership check (the repository does the lookups; NotFound is a 404).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.cohorts.models import Cohort
from app.cohorts.repository import get_cohort_for
from app.core.deps import SessionDep
from app.facilitators.deps import CurrentFacilitator, CurrentFacilitatorWeb

MAX_ID = 2_147_483_647  # ids are 32-bit integers in PostgreSQL

CohortId = Annotated[int, Path(ge=1, le=MAX_ID, description="A cohort's id.")]
ParticipantId = Annotated[int, Path(ge=1, le=MAX_ID, description="A participant's id.")]
FacilitatorId = Annotated[int, Path(ge=1, le=MAX_ID, description="A facilitator's id.")]


def _api_cohort(cohort_id: CohortId, db: SessionDep, facilitator: CurrentFacilitator) -> Cohort:
    return get_cohort_for(db, facilitator, cohort_id)


def _web_cohort(cohort_id: CohortId, db: SessionDep, facilitator: CurrentFacilitatorWeb) -> Cohort:
    return get_cohort_for(db, facilitator, cohort_id)


OwnedCohort = Annotated[Cohort, Depends(_api_cohort)]
WebCohort = Annotated[Cohort, Depends(_web_cohort)]
