"""The group analysis of a session as JSON: /api/v1/sessions/{id}/group."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app.core.deps import SessionDep
from app.core.schemas import SESSION_ERRORS
from app.core.web import request_language
from app.dashboard.schemas import GroupOut
from app.dashboard.service import group_analysis
from app.reports.rendering.formatting import texts
from app.sessions.deps import OwnedSession

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"], responses=SESSION_ERRORS)


@router.get(
    "/{session_id}/group", response_model=GroupOut,
    summary="The group analysis (no contact labels; small groups suppressed)",
)
def group(s: OwnedSession, db: SessionDep, request: Request) -> Any:
    return group_analysis(db, s).to_json(texts(request_language(request, s.cohort.language)))
