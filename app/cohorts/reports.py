"""The facilitator's PDF downloads, rendered by app.reports.service.

This module only looks the rendering functions up and turns "reports not
available" into a clear 503 answer (it happens while reports are not installed).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException, Request, Response
from sqlalchemy.orm import Session

from app.cohorts.models import CohortSession, Participant
from app.config import Settings
from app.participation.models import Submission


def _reports(name: str) -> Callable[..., Any]:
    try:
        module = importlib.import_module("app.reports.service")
    except ImportError as exc:
        raise HTTPException(503, detail="reports: PDF rendering is not available") from exc
    function = getattr(module, name, None)
    if function is None:
        raise HTTPException(503, detail=f"reports: {name} is not available")
    return function  # type: ignore[no-any-return]


def _respond(request: Request, rendered: Any, *, inline: bool) -> Response:
    response: Response = _reports("pdf_response")(request, rendered, inline=inline)
    return response


def group_pdf(request: Request, db: Session, settings: Settings, s: CohortSession) -> Response:
    return _respond(request, _reports("group_report")(db, s, settings=settings), inline=True)


def pack_pdf(request: Request, db: Session, settings: Settings, s: CohortSession) -> Response:
    return _respond(request, _reports("session_pack")(db, s, settings=settings), inline=False)


def pack_zip(request: Request, db: Session, settings: Settings, s: CohortSession) -> Response:
    return _respond(request, _reports("session_zip")(db, s, settings=settings), inline=False)


def participant_pdf(
    request: Request,
    db: Session,
    settings: Settings,
    s: CohortSession,
    participant: Participant,
) -> Response:
    from app.participation.service import get_submission

    submission: Submission | None = get_submission(db, s.id, participant.id)
    if submission is None or submission.status != "submitted":
        raise HTTPException(
            404, detail=f"participant {participant.id}: no submitted map in this session"
        )
    rendered = _reports("individual_report")(db, submission, settings=settings)
    return _respond(request, rendered, inline=True)
