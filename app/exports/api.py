"""The facilitator's data exports of a session: CSV, egor-style tables and GraphML."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.core.deps import SessionDep, SettingsDep
from app.core.schemas import CSV_RESPONSES, SESSION_ERRORS, ZIP_RESPONSES
from app.core.web import attachment
from app.exports import service
from app.participation.progress import progress
from app.sessions.deps import OwnedSession

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"], responses=SESSION_ERRORS)


@router.get("/{session_id}/export.csv", response_class=Response, responses=CSV_RESPONSES,
            summary="Session data: one row per contact (formula-safe CSV)")
def export_csv(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    text = service.session_csv(db, s, progress(db, settings, s).rows)
    return attachment(text.encode(), "text/csv; charset=utf-8", f"session-{s.number}-data.csv")


@router.get("/{session_id}/export/egor.zip", response_class=Response, responses=ZIP_RESPONSES,
            summary="egor-style tables: egos, alters, alter_ties")
def export_egor(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    content = service.egor_zip(db, s, progress(db, settings, s).rows)
    return attachment(content, "application/zip", f"session-{s.number}-egor.zip")


@router.get("/{session_id}/export/graphml.zip", response_class=Response, responses=ZIP_RESPONSES,
            summary="One GraphML file per submitted map")
def export_graphml(s: OwnedSession, db: SessionDep, settings: SettingsDep) -> Response:
    content = service.graphml_zip(db, s, progress(db, settings, s).rows)
    return attachment(content, "application/zip", f"session-{s.number}-graphml.zip")
