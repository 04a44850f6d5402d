"""The participant's JSON API, under /api/v1/p/{token}.

The token in the path is the participant's capability: an unknown and a
revoked token get the same 404. The map's version is its ETag; send it back
in If-Match when saving and a stale copy gets 412 instead of overwriting.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.analysis import MapValidationError
from app.core.concurrency import run_participant_work
from app.core.db import Database
from app.core.deps import DatabaseDep, SessionDep, SettingsDep
from app.core.timezones import format_local
from app.core.web import download, request_language
from app.participation import repository, service
from app.participation.deps import note_first_visit, open_link
from app.participation.payload import PayloadError, parse_json
from app.participation.schemas import (
    CommitmentReviewItem,
    ErrorOut,
    ExportOut,
    LinksOut,
    MapSaveIn,
    ParticipantOut,
    ParticipantView,
    SaveResult,
    SessionOut,
    inline_schema,
    instrument_for,
)
from app.participation.service import Link, LinkClosed, VersionConflict
from app.privacy import service as privacy
from app.reports import journey
from app.reports import service as reports

router = APIRouter(prefix="/api/v1/p/{token}", tags=["participant"])

LINK_NOT_FOUND = "link not found: check the address, or ask your facilitator for a new link"


async def raw_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(raw_body)]
IfMatch = Annotated[
    str | None,
    Header(
        description='The version you loaded, as its ETag (e.g. "3"); "0" when nothing was '
        "saved yet. Without it the save overwrites whatever is stored.",
    ),
]


def _error(status: int, detail: str, errors: list[str] | None = None, **extra: Any) -> JSONResponse:
    body = ErrorOut(detail=detail, errors=errors or [], **extra)
    return JSONResponse(body.model_dump(), status_code=status)


def _not_found() -> JSONResponse:
    return _error(404, LINK_NOT_FOUND)


def _etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int | None:
    """'"3"', 'W/"3"' or '3' -> 3; '*' or absent -> None. Raises ValueError otherwise."""
    if value is None or value.strip() == "*":
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 9:
        raise ValueError(value)
    return int(text)


def _failure(exc: Exception) -> JSONResponse:
    if isinstance(exc, LinkClosed):
        return _error(403, str(exc))
    if isinstance(exc, VersionConflict):
        return _error(412, str(exc), current_version=exc.current_version)
    if isinstance(exc, PayloadError):
        return _error(exc.status_code, _summary(exc.errors), exc.errors)
    if isinstance(exc, MapValidationError):
        return _error(422, _summary(exc.errors), exc.errors)
    raise exc


def _summary(errors: list[str]) -> str:
    count = len(errors)
    return f"map: {count} problem{'s' if count != 1 else ''}: {errors[0]}" if errors else "map"


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Unknown or revoked link."},
    429: {"model": ErrorOut, "description": "Too many requests from this client."},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    400: {"model": ErrorOut, "description": "Not valid JSON, or a malformed If-Match header."},
    403: {"model": ErrorOut, "description": "The session's deadline has passed: read-only."},
    412: {"model": ErrorOut, "description": "Changed elsewhere: If-Match is out of date."},
    413: {"model": ErrorOut, "description": "Request body too large."},
    422: {"model": ErrorOut, "description": "The map has problems; each names its field."},
}
MAP_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": inline_schema(MapSaveIn)}},
    }
}
SUBMIT_BODY = {
    "requestBody": {
        "required": False,
        "description": "Optional: the map to submit. Without a body the stored draft is submitted.",
        "content": {"application/json": {"schema": inline_schema(MapSaveIn)}},
    }
}


def view(request: Request, link: Link, state: service.MapState, lang: str) -> ParticipantView:
    base = str(request.base_url).rstrip("/")
    token = request.path_params["token"]
    submission = state.submission
    return ParticipantView(
        language="it" if lang == "it" else "en",
        participant=ParticipantOut(
            name=link.participant.name, organization=link.participant.organization
        ),
        session=SessionOut(
            number=link.cohort_session.number, title=link.cohort_session.title,
            deadline=link.deadline, time_zone=link.cohort.time_zone,
            deadline_local=format_local(link.deadline, link.cohort.time_zone, lang),
            open=link.is_open(),
        ),
        status=state.status,
        version=state.version,
        submitted_at=submission.submitted_at if submission is not None else None,
        carried_forward=state.carried_forward,
        map=state.map,
        previous_commitments=[CommitmentReviewItem(**item) for item in state.previous_commitments],
        instrument=instrument_for(link.program, lang),
        links=LinksOut(
            form=f"{base}/p/{token}",
            report_pdf=f"{base}/api/v1/p/{token}/report.pdf",
            export=f"{base}/api/v1/p/{token}/export",
        ),
    )


def _json(model: BaseModel, version: int) -> Response:
    """The model as JSON with the map's version as ETag, serialised in one step by
    pydantic (not to a dict first, then by the json module)."""
    return Response(model.model_dump_json(), media_type="application/json",
                    headers={"ETag": _etag(version)})


def _saved(submission: Any) -> Response:
    result = SaveResult(
        status=submission.status,
        version=submission.version,
        submitted_at=submission.submitted_at,
        map=submission.map,
    )
    return _json(result, submission.version)


@router.get(
    "",
    response_model=ParticipantView,
    responses=ERRORS,
    summary="The instrument, the current map and its version",
)
async def get_map(
    request: Request, token: str, database: DatabaseDep, background: BackgroundTasks,
    lang: str | None = None,
) -> Any:
    """Option lists come with labels and help in the chosen language (`?lang=en|it`;
    default: the participant's, then the cohort's). From the second session on,
    an unsaved map starts as last session's submitted map (`carried_forward`)."""
    return await run_participant_work(request, _get_map, request, token, database, background)


def _get_map(
    request: Request, token: str, database: Database, background: BackgroundTasks,
) -> Any:
    # The session is opened here rather than as a dependency: the whole request is then
    # one hand-off to the participants' threads (app/core/concurrency.py) instead of three.
    with database.reads() as db:
        link = open_link(request, db, token)
        if link is None:
            return _not_found()
        note_first_visit(request, background, link)
        language = request_language(request, link.default_language)
        state = service.map_state(db, link, reread=False)
        return _json(view(request, link, state, language), state.version)


def _store(
    db: Session, database: Database, link: Link, body: bytes, if_match: str | None, *,
    submit: bool,
) -> Response:
    """Read and validate in the request's read session, then write in a short transaction
    of its own: on SQLite, writers take turns, so a writer must not parse while it holds
    the lock."""
    try:
        link.ensure_open()
        try:
            expected = parse_if_match(if_match)
        except ValueError:
            return _error(400, 'If-Match: expected a version such as "3" (the ETag you loaded)')
        # The stored map was read with the link; nothing is written in this session.
        status = service.map_status(link)
        if body.strip():
            data = parse_json(body)
        elif submit:
            data = dict(service.map_state(db, link, reread=False).map)
        else:
            raise PayloadError(["body: expected the map as a JSON object"], status_code=400)
        review = None
        if isinstance(data, dict) and "commitment_review" in data:
            data = dict(data)
            review = service.review_from_answers(
                service.map_state(db, link, reread=False).previous_commitments,
                data.pop("commitment_review"),
            )
        prepared = service.prepare_map(
            data, link.program, link.cohort_session,
            complete=submit or status == service.SUBMITTED,
        )
        db.close()  # done reading: its connection goes back before this request writes
        with database.session(write=True) as writer:
            submission = service.save_map(
                writer, cohort_session=link.cohort_session, participant=link.participant,
                program=link.program, data=prepared, expected_version=expected,
                submit=submit, commitment_review=review,
                # The row as read with the link: the transaction re-checks rather than
                # re-reads it (an unchanged map then writes nothing at all).
                seen=link.submission,
            )
            response = _saved(submission)
    except (LinkClosed, VersionConflict, PayloadError, MapValidationError) as exc:
        return _failure(exc)
    return response


@router.put(
    "/map",
    response_model=SaveResult,
    responses=WRITE_ERRORS,
    openapi_extra=MAP_BODY,
    summary="Save a draft of the map",
)
async def save_draft(
    request: Request, token: str, body: RawBody, database: DatabaseDep, if_match: IfMatch = None,
) -> Any:
    """The body is the map JSON of DESIGN.md; a draft may leave out purpose, origin,
    organization, closeness and last contact. Once submitted, a map stays submitted:
    a later save must be complete and counts as a resubmission. Saving what is already
    stored changes nothing. The response's ETag is the new version."""
    return await run_participant_work(
        request, _open_and_store, request, token, body, database, if_match, submit=False
    )


@router.post(
    "/submit",
    response_model=SaveResult,
    responses=WRITE_ERRORS,
    openapi_extra=SUBMIT_BODY,
    summary="Submit the map (idempotent)",
)
async def submit(
    request: Request, token: str, body: RawBody, database: DatabaseDep, if_match: IfMatch = None,
) -> Any:
    """Submits the map in the body, or the stored draft when there is no body. Submitting
    the same map twice (a double click, two tabs) is one submission with one version.
    Until the deadline the participant may edit and submit again."""
    return await run_participant_work(
        request, _open_and_store, request, token, body, database, if_match, submit=True
    )


def _open_and_store(
    request: Request, token: str, body: bytes, database: Database, if_match: str | None, *,
    submit: bool,
) -> Response:
    with database.reads() as db:  # see _get_map; _store closes it to write
        link = open_link(request, db, token)
        if link is None:
            return _not_found()
        return _store(db, database, link, body, if_match, submit=submit)


@router.get(
    "/report.pdf",
    response_class=Response,
    responses={
        **ERRORS,
        200: {"content": {"application/pdf": {}}, "description": "The individual report."},
        304: {"description": "Not modified: If-None-Match has the current ETag."},
        409: {"model": ErrorOut, "description": "Nothing submitted yet."},
    },
    summary="The participant's individual report as PDF",
)
def report(request: Request, token: str, db: SessionDep, settings: SettingsDep) -> Any:
    """Rendered once per version of the map and cached; the ETag allows a 304."""
    link = open_link(request, db, token)
    if link is None:
        return _not_found()
    submission = repository.get_submission(db, link.cohort_session.id, link.participant.id)
    if submission is None or submission.status != service.SUBMITTED:
        return _error(409, "report: submit your map first; the report is made from it")
    # The participant's own report follows their choice (?lang=, cookie, roster), not the cohort's.
    language = request_language(request, link.default_language)
    rendered = reports.individual_report(db, submission, settings=settings, language=language)
    return download(request, rendered.content, etag=rendered.etag, filename=rendered.filename,
                    media_type=rendered.media_type)


@router.get(
    "/journey.pdf",
    response_class=Response,
    responses={
        **ERRORS,
        200: {"content": {"application/pdf": {}}, "description": "The participant's journey."},
        304: {"description": "Not modified: If-None-Match has the current ETag."},
    },
    summary="The participant's own journey across the sessions so far, as PDF",
)
def journey_pdf(request: Request, token: str, db: SessionDep, settings: SettingsDep) -> Any:
    """Their own maps month by month; 404 until they have submitted one."""
    link = open_link(request, db, token)
    if link is None:
        return _not_found()
    language = request_language(request, link.default_language)
    rendered = journey.participant_journey(db, link.participant, settings=settings,
                                           language=language)
    return download(request, rendered.content, etag=rendered.etag, filename=rendered.filename,
                    media_type=rendered.media_type)


@router.get(
    "/export",
    response_model=ExportOut,
    responses=ERRORS,
    summary="Export everything stored about me (JSON)",
)
def export(request: Request, token: str, db: SessionDep) -> Any:
    """Participant details, every map of every session of the cohort with its status and
    version, and the ticks on earlier commitments. Sent as a file download."""
    link = open_link(request, db, token)
    if link is None:
        return _not_found()
    data = ExportOut.model_validate(privacy.export_data(db, link))
    return JSONResponse(
        jsonable_encoder(data),
        headers={"Content-Disposition": 'attachment; filename="wellspring-my-data.json"'},
    )


@router.delete(
    "",
    status_code=204,
    response_class=Response,
    responses=ERRORS,
    summary="Erase my maps in every session of the cohort",
)
def erase(request: Request, token: str, db: SessionDep) -> Response:
    """Erases this participant's maps (drafts and submitted) in every session of the
    cohort, their rows and every cached report that holds one. The link keeps working,
    so the participant may start again. Erasing twice is the same as erasing once."""
    link = open_link(request, db, token)
    if link is None:
        return _not_found()
    privacy.erase_my_data(db, link)
    return Response(status_code=204)
