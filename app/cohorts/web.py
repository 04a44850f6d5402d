"""Facilitator pages for cohorts: list, create, roster, co-facilitators, erase, open a session.

Every form posts with the CSRF token (checked by CurrentFacilitatorWeb) and
redirects after success; on a mistake the page is shown again with the errors
and nothing is stored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.cohorts import service
from app.cohorts.deps import FacilitatorId, ParticipantId, WebCohort
from app.cohorts.merge import MergePlan, PlanChanged, plan_merge
from app.cohorts.models import Cohort
from app.cohorts.repository import cohorts_for, get_participant_for
from app.cohorts.roster import MAX_ROSTER_BYTES, decode_upload, parse_roster_csv
from app.cohorts.schemas import ParticipantIn, ParticipantPatch
from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Invalid, pydantic_errors
from app.core.timezones import end_of_local_day, local_date, time_zone_names
from app.core.web import RollbackWith, request_language
from app.facilitators.deps import CurrentFacilitatorWeb
from app.facilitators.models import Facilitator
from app.facilitators.pages import page, see_other
from app.participation.progress import progress
from app.privacy import service as privacy
from app.sessions import service as sessions
from app.sessions.models import SessionStatus

router = APIRouter(prefix="/cohorts", include_in_schema=False)

Text = Annotated[str, Form(max_length=300)]


def _programs(lang: str) -> list[dict[str, Any]]:
    return [
        {"id": pid, "name": program.name.get(lang) or program.name.get("en") or pid,
         "sessions": len(program.sessions), "time_zone": program.default_time_zone}
        for pid, program in service.available_programs()
    ]


def _read_upload(upload: UploadFile | None) -> str | None:
    if upload is None or not upload.filename:
        return None
    return decode_upload(upload.file.read(600_000))


@router.get("", response_class=HTMLResponse)
def cohorts(
    request: Request, db: SessionDep, settings: SettingsDep, facilitator: CurrentFacilitatorWeb
) -> Response:
    lang = request_language(request)
    items = []
    for cohort in cohorts_for(db, facilitator):
        program = cohort.program_definition()
        latest = max(cohort.sessions, key=lambda s: s.number, default=None)
        items.append({
            "cohort": cohort,
            "program_name": program.name.get(lang) or program.name.get("en"),
            "program_sessions": len(program.sessions),
            "latest": latest and {
                "session": latest, "progress": progress(db, settings, latest),
            },
        })
    return page(request, "facilitator/cohorts.html", {"cohorts": items}, facilitator=facilitator)


@router.get("/new", response_class=HTMLResponse)
def new_cohort_form(request: Request, facilitator: CurrentFacilitatorWeb) -> Response:
    lang = request_language(request)
    return page(
        request, "facilitator/cohort_new.html",
        {"programs": _programs(lang), "form": {"language": lang}, "errors": [],
         "time_zones": time_zone_names()},
        facilitator=facilitator,
    )


@router.post("/new", response_class=HTMLResponse)
def create_cohort(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    facilitator: CurrentFacilitatorWeb,
    name: Text = "",
    program_id: Text = "",
    language: Annotated[str, Form(max_length=5)] = "en",
    time_zone: Annotated[str, Form(max_length=64)] = "",
    browser_time_zone: Annotated[str, Form(max_length=64)] = "",
    roster: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """An empty time zone means the program's default, else this browser's (the
    facilitator's, filled in by the page's script), else UTC."""
    try:
        text = _read_upload(roster)
        rows = parse_roster_csv(text) if text is not None else []
        cohort = service.create_cohort_with_roster(
            db, facilitator, name=name, program_id=program_id, language=language,
            roster=rows, time_zone=time_zone or None, fallback_time_zone=browser_time_zone,
        )
    except Invalid as exc:
        raise RollbackWith(page(
            request, "facilitator/cohort_new.html",
            {"programs": _programs(request_language(request)), "errors": exc.errors,
             "time_zones": time_zone_names(),
             "form": {"name": name, "program_id": program_id, "language": language,
                      "time_zone": time_zone}},
            facilitator=facilitator, status_code=422,
        )) from exc
    return see_other(f"/cohorts/{cohort.id}", "cohort_created")


def _cohort_page(
    request: Request, db: Session, cohort: Cohort, facilitator: Facilitator,
    errors: dict[str, list[str]] | None = None, form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    program = cohort.program_definition()
    lang = request_language(request)
    next_number = sessions.next_session_number(cohort)
    next_title = None
    if next_number is not None:
        topic = program.sessions[next_number - 1].title
        next_title = topic.get(lang) or topic.get("en")
    today = local_date(datetime.now(UTC), cohort.time_zone)
    return page(
        request, "facilitator/cohort.html",
        {
            "cohort": cohort,
            "program_name": program.name.get(lang) or program.name.get("en"),
            "program_sessions": len(program.sessions),
            "next_number": next_number,
            "next_title": next_title,
            "still_open": sessions.open_sessions_before(cohort, next_number or 0),
            "default_deadline": sessions.suggested_deadline(cohort, today).isoformat(),
            "today": today.isoformat(),
            "time_zones": time_zone_names(),
            "errors": errors or {},
            "form": form or {},
        },
        facilitator=facilitator, status_code=status_code,
    )


@router.get("/{cohort_id}", response_class=HTMLResponse)
def cohort_detail(
    request: Request, cohort: WebCohort, db: SessionDep, facilitator: CurrentFacilitatorWeb
) -> Response:
    return _cohort_page(request, db, cohort, facilitator)


@router.post("/{cohort_id}/participants", response_class=HTMLResponse)
def add_participant(
    request: Request, cohort: WebCohort, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitatorWeb,
    name: Text = "", email: Text = "", organization: Text = "",
    function: Text = "", industry: Text = "",
    language: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    form = {"name": name, "email": email, "organization": organization, "function": function,
            "industry": industry, "language": language}
    try:
        try:
            row = ParticipantIn.model_validate({**form, "language": language or None})
        except ValidationError as exc:
            raise Invalid(pydantic_errors(exc, "")) from exc
        sessions.enrol_participants(db, settings, cohort, [row])
    except Invalid as exc:
        raise RollbackWith(
            _cohort_page(request, db, cohort, facilitator, {"add": exc.errors}, form, 422)
        ) from exc
    return see_other(f"/cohorts/{cohort.id}#participants", "participants_added", n=1)


@router.post("/{cohort_id}/participants/import", response_class=HTMLResponse)
def import_roster(
    request: Request, cohort: WebCohort, db: SessionDep, facilitator: CurrentFacilitatorWeb,
    roster: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Upload: a preview of the merge (nothing stored yet), to confirm on the next page."""
    try:
        text = _read_upload(roster)
        if text is None:
            raise Invalid(["file: choose a CSV file to upload"])
        plan = plan_merge(cohort, text)
    except Invalid as exc:
        raise RollbackWith(
            _cohort_page(request, db, cohort, facilitator, {"import": exc.errors}, None, 422)
        ) from exc
    return _preview_page(request, cohort, facilitator, plan, text)


def _preview_page(
    request: Request, cohort: Cohort, facilitator: Facilitator, plan: MergePlan, text: str,
    *, changed_since: bool = False, status_code: int = 200,
) -> Response:
    return page(request, "facilitator/roster_preview.html",
                {"cohort": cohort, "plan": plan, "roster_text": text,
                 "changed_since": changed_since},
                facilitator=facilitator,
                status_code=422 if plan.problems else status_code)


@router.post("/{cohort_id}/participants/import/confirm", response_class=HTMLResponse)
def confirm_roster(
    request: Request, cohort: WebCohort, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitatorWeb,
    roster_text: Annotated[str, Form(max_length=MAX_ROSTER_BYTES)] = "",
    digest: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Apply what was previewed; checked again against the roster as it is now."""
    try:
        plan, added = sessions.merge_roster(db, settings, cohort, roster_text,
                                            expected_digest=digest)
    except PlanChanged as exc:
        raise RollbackWith(_preview_page(request, cohort, facilitator,
                                         plan_merge(cohort, roster_text), roster_text,
                                         changed_since=True, status_code=409)) from exc
    except Invalid as exc:
        try:
            again = plan_merge(cohort, roster_text)
        except Invalid:
            raise RollbackWith(_cohort_page(request, db, cohort, facilitator,
                                            {"import": exc.errors}, None, 422)) from exc
        raise RollbackWith(_preview_page(request, cohort, facilitator, again,
                                         roster_text)) from exc
    return see_other(f"/cohorts/{cohort.id}#participants", "roster_merged",
                     n=len(added), updated=len(plan.changed))


@router.get("/{cohort_id}/participants/{participant_id}/edit", response_class=HTMLResponse)
def edit_participant_form(
    request: Request, cohort: WebCohort, participant_id: ParticipantId, db: SessionDep,
    facilitator: CurrentFacilitatorWeb, settings: SettingsDep,
) -> Response:
    participant = get_participant_for(db, facilitator, cohort.id, participant_id)
    form = {key: getattr(participant, key) or "" for key in
            ("name", "email", "organization", "function", "industry", "language")}
    return page(request, "facilitator/participant_edit.html",
                {"cohort": cohort, "participant": participant, "form": form, "errors": [],
                 "sheets": worksheet_links(settings, cohort, participant.id)},
                facilitator=facilitator)


def worksheet_links(
    settings: Settings, cohort: Cohort, participant_id: int
) -> list[dict[str, Any]]:
    """The entry grid of each open session, on this participant's own link: a facilitator
    types in a paper worksheet for them (the same page the participant can use)."""
    links = []
    for cohort_session in sorted(cohort.sessions, key=lambda s: s.number):
        if cohort_session.status != SessionStatus.OPEN or cohort_session.deadline_passed():
            continue
        for invitation in cohort_session.invitations:
            if invitation.participant_id == participant_id and invitation.revoked_at is None:
                token = sessions.invitation_token(settings, invitation)
                links.append({"number": cohort_session.number, "title": cohort_session.title,
                              "url": f"/p/{token}/sheet"})
    return links


@router.post("/{cohort_id}/participants/{participant_id}/edit", response_class=HTMLResponse)
def edit_participant(
    request: Request, cohort: WebCohort, participant_id: ParticipantId, db: SessionDep,
    facilitator: CurrentFacilitatorWeb,
    name: Text = "", email: Text = "", organization: Text = "",
    function: Text = "", industry: Text = "",
    language: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    participant = get_participant_for(db, facilitator, cohort.id, participant_id)
    form = {"name": name, "email": email, "organization": organization, "function": function,
            "industry": industry, "language": language}
    try:
        try:
            changes = ParticipantPatch.model_validate(
                {key: (value or None) for key, value in form.items()}
            )
        except ValidationError as exc:
            raise Invalid(pydantic_errors(exc, "")) from exc
        service.update_participant(db, participant, changes)
    except Invalid as exc:
        raise RollbackWith(page(
            request, "facilitator/participant_edit.html",
            {"cohort": cohort, "participant": participant, "form": form, "errors": exc.errors},
            facilitator=facilitator, status_code=422,
        )) from exc
    return see_other(f"/cohorts/{cohort.id}#participants", "participant_updated")


@router.post("/{cohort_id}/participants/{participant_id}/delete")
def remove_participant(
    cohort: WebCohort, participant_id: ParticipantId, db: SessionDep,
    facilitator: CurrentFacilitatorWeb,
) -> Response:
    participant = get_participant_for(db, facilitator, cohort.id, participant_id)
    cohort_id = cohort.id
    privacy.erase_participant(db, participant.id)
    return see_other(f"/cohorts/{cohort_id}#participants", "participant_removed")


@router.post("/{cohort_id}/facilitators", response_class=HTMLResponse)
def add_facilitator(
    request: Request, cohort: WebCohort, db: SessionDep, facilitator: CurrentFacilitatorWeb,
    email: Text = "",
) -> Response:
    try:
        service.add_cofacilitator(db, cohort, email)
    except Invalid as exc:
        raise RollbackWith(_cohort_page(request, db, cohort, facilitator,
                                        {"facilitators": exc.errors},
                                        {"cofacilitator": email}, 422)) from exc
    return see_other(f"/cohorts/{cohort.id}#facilitators", "facilitator_added")


@router.post(
    "/{cohort_id}/facilitators/{facilitator_id}/delete", response_class=HTMLResponse
)
def remove_facilitator(
    request: Request, cohort: WebCohort, facilitator_id: FacilitatorId, db: SessionDep,
    facilitator: CurrentFacilitatorWeb,
) -> Response:
    try:
        service.remove_cofacilitator(db, cohort, facilitator_id)
    except Invalid as exc:
        raise RollbackWith(_cohort_page(request, db, cohort, facilitator,
                                        {"facilitators": exc.errors}, None, 422)) from exc
    if facilitator_id == facilitator.id:
        return see_other("/cohorts", "facilitator_removed")
    return see_other(f"/cohorts/{cohort.id}#facilitators", "facilitator_removed")


@router.post("/{cohort_id}/sessions", response_class=HTMLResponse)
def open_session(
    request: Request, cohort: WebCohort, db: SessionDep, settings: SettingsDep,
    facilitator: CurrentFacilitatorWeb,
    deadline: Annotated[str, Form(max_length=20)] = "",
    close_previous: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """An unticked "close the previous session" box sends nothing: then it stays open."""
    closing = bool(close_previous) and bool(
        sessions.open_sessions_before(cohort, sessions.next_session_number(cohort) or 0))
    try:
        try:
            due = date.fromisoformat(deadline)
        except ValueError as exc:
            raise Invalid(["deadline: choose a date"]) from exc
        cohort_session = sessions.open_session(
            db, settings, cohort, deadline=end_of_local_day(due, cohort.time_zone),
            close_previous=bool(close_previous),
        )
    except Invalid as exc:
        raise RollbackWith(_cohort_page(
            request, db, cohort, facilitator, {"open": exc.errors},
            {"deadline": deadline, "close_previous": bool(close_previous)}, 422)) from exc
    notice = "session_opened_closed" if closing else "session_opened"
    return see_other(f"/sessions/{cohort_session.id}", notice)


@router.post("/{cohort_id}/time-zone", response_class=HTMLResponse)
def change_time_zone(
    request: Request, cohort: WebCohort, db: SessionDep, facilitator: CurrentFacilitatorWeb,
    time_zone: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    try:
        service.set_time_zone(db, cohort, time_zone)
    except Invalid as exc:
        raise RollbackWith(_cohort_page(request, db, cohort, facilitator,
                                        {"time_zone": exc.errors}, None, 422)) from exc
    return see_other(f"/cohorts/{cohort.id}#sessions", "time_zone_changed")


@router.get("/{cohort_id}/delete", response_class=HTMLResponse)
def delete_cohort_form(
    request: Request, cohort: WebCohort, facilitator: CurrentFacilitatorWeb
) -> Response:
    return page(request, "facilitator/cohort_delete.html", {"cohort": cohort, "error": False},
                facilitator=facilitator)


@router.post("/{cohort_id}/delete", response_class=HTMLResponse)
def delete_cohort(
    request: Request, cohort: WebCohort, db: SessionDep, facilitator: CurrentFacilitatorWeb,
    confirm_name: Text = "",
) -> Response:
    if confirm_name.strip() != cohort.name.strip():
        return page(request, "facilitator/cohort_delete.html", {"cohort": cohort, "error": True},
                    facilitator=facilitator, status_code=422)
    privacy.erase_cohort(db, cohort.id)
    return see_other("/cohorts", "cohort_deleted")
