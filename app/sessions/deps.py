"""Path parameters that resolve to a session of the facilitator's own cohorts, or 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.cohorts.deps import MAX_ID
from app.core.deps import SessionDep
from app.facilitators.deps import CurrentFacilitator, CurrentFacilitatorWeb
from app.sessions.models import CohortSession
from app.sessions.repository import get_session_for

SessionId = Annotated[int, Path(ge=1, le=MAX_ID, description="A session's id.")]
InvitationId = Annotated[int, Path(ge=1, le=MAX_ID, description="A personal link's id.")]


def _api_session(
    session_id: SessionId, db: SessionDep, facilitator: CurrentFacilitator
) -> CohortSession:
    return get_session_for(db, facilitator, session_id)


def _web_session(
    session_id: SessionId, db: SessionDep, facilitator: CurrentFacilitatorWeb
) -> CohortSession:
    return get_session_for(db, facilitator, session_id)


OwnedSession = Annotated[CohortSession, Depends(_api_session)]
WebSession = Annotated[CohortSession, Depends(_web_session)]
