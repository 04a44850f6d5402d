"""The participant's pages at /p/{token}: the form, the report, export and erasure.

The form is one plain HTML form that works without JavaScript; participant.js
makes it quicker (cards added and removed in place, autosave through the JSON
API) but every action also works as an ordinary POST.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.analysis import MapValidationError
from app.core.deps import SessionDep, SettingsDep
from app.core.i18n import translate
from app.core.web import render, request_language
from app.participation import forms, imports, service, sheet
from app.participation.deps import note_first_visit, open_link
from app.participation.export_page import export_view
from app.participation.forms import FormData, FormInput
from app.participation.pages import FormView, form_context, sheet_context
from app.participation.service import Link, LinkClosed, VersionConflict
from app.privacy import service as privacy
from app.reports.service import on_screen_report, participant_ego, report_html
from app.sessions.models import CohortSession

router = APIRouter(include_in_schema=False)

MAX_FORM_FIELDS = forms.MAX_FORM_ROWS * 32 + 100


async def posted_form(request: Request) -> FormData:
    """The posted fields, plus the uploaded file's text under "upload" (read asynchronously)."""
    async with request.form(max_files=1, max_fields=MAX_FORM_FIELDS) as form:
        items: list[tuple[str, Any]] = []
        for key, value in form.multi_items():
            if isinstance(value, str):
                items.append((key, value))
            elif key == "upload":
                raw = await value.read()
                items.append(("upload", raw.decode("utf-8", errors="replace")))
                items.append(("upload_name", value.filename or ""))
        return FormData(items)


PostedForm = Annotated[FormData, Depends(posted_form)]


def _not_found(request: Request) -> HTMLResponse:
    lang = request_language(request, "en")
    return render(request, "participant/not_found.html", {}, lang=lang, status_code=404)


def _base(token: str) -> str:
    return f"/p/{token}"


@router.get("/p/{token}")
def form_page(
    request: Request, token: str, db: SessionDep, settings: SettingsDep,
    background: BackgroundTasks,
) -> Response:
    link = open_link(request, db, token)
    if link is None:
        return _not_found(request)
    note_first_visit(request, background, link)
    lang = request_language(request, link.default_language)
    state = service.map_state(db, link)
    if not link.is_open():
        if state.status == service.SUBMITTED:
            return _report(request, db, settings, link, state, lang, closed=True)
        return render(request, "participant/closed.html", _page(link, token), lang=lang)
    view = FormView.from_state(state)
    flash = None
    if request.query_params.get("saved"):
        flash = translate("Draft saved. You can come back to it with the same link.", lang)
    return _form(request, link, token, lang, state, view, flash=flash, flash_kind="ok")


@router.post("/p/{token}")
def form_post(request: Request, token: str, posted: PostedForm, db: SessionDep) -> Response:
    link = open_link(request, db, token)
    if link is None:
        return _not_found(request)
    lang = request_language(request, link.default_language)
    if not link.is_open():
        return render(request, "participant/closed.html", _page(link, token), lang=lang,
                      status_code=403)
    state = service.map_state(db, link)
    form = forms.parse_form(posted, review_count=len(state.previous_commitments))
    view = FormView.from_form(form, state)

    if form.action == "add_rows":
        view.rows = forms.pad_rows(view.rows, extra=forms.ADD_ROWS)
        return _form(request, link, token, lang, state, view, focus_row=len(form.rows))
    if form.action == "import":
        return _import(request, link, token, lang, state, view, posted)
    try:
        link.ensure_open()  # the deadline may pass between the check above and here
        review = None
        if state.previous_commitments:
            review = service.review_from_answers(state.previous_commitments, form.review)
        service.save_map(
            db, cohort_session=link.cohort_session, participant=link.participant,
            program=link.program, data=form.map_data, expected_version=form.version,
            submit=form.action == "submit", commitment_review=review,
        )
    except LinkClosed:
        return render(request, "participant/closed.html", _page(link, token), lang=lang,
                      status_code=403)
    except VersionConflict as conflict:
        view.version = conflict.current_version  # saving again now overwrites, on purpose
        message = translate(
            "This map was changed elsewhere (in another tab or on another device) after you "
            "opened this page, so your changes were not saved. What you typed is still below. "
            "Reload the page to see the latest version, or press Save again to replace it with "
            "what you see here.", lang)
        return _form(request, link, token, lang, state, view, flash=message,
                     flash_kind="error", status_code=409)
    except MapValidationError as invalid:
        return _invalid(request, link, token, lang, state, view, form, invalid.errors)
    if form.action == "submit":
        return RedirectResponse(f"{_base(token)}/report?submitted=1", status_code=303)
    return RedirectResponse(f"{_base(token)}?saved=1", status_code=303)


def _invalid(
    request: Request, link: Link, token: str, lang: str, state: service.MapState,
    view: FormView, form: FormInput, errors: list[str],
) -> Response:
    view.errors, view.general_errors = forms.field_errors(errors, form, lang)
    count = sum(len(items) for items in view.errors.values()) + len(view.general_errors)
    message = translate("Nothing was saved yet: please check the marked fields.", lang)
    return _form(request, link, token, lang, state, view, flash=message, flash_kind="error",
                 status_code=422, error_count=count)


def _import(
    request: Request, link: Link, token: str, lang: str, state: service.MapState,
    view: FormView, posted: FormData,
) -> Response:
    text = posted.get("upload")
    try:
        imported = imports.import_file(text, link, taken={row.id for row in view.rows})
    except imports.ImportProblem as problem:
        view.import_errors = problem.errors
        message = translate("The file could not be imported; nothing was changed.", lang)
        return _form(request, link, token, lang, state, view, flash=message,
                     flash_kind="error", status_code=422)
    kept = [row for row in view.rows if not row.is_blank]
    room = max(0, forms.MAX_FORM_ROWS - len(kept))
    added = forms.rows_from_map({"contacts": imported[:room], "ties": []})
    view.rows = forms.pad_rows(kept + added)
    message = translate(
        "%(count)s people imported into the form below. Nothing is saved yet: check them, "
        "then press Save draft.", lang) % {"count": len(added)}
    return _form(request, link, token, lang, state, view, flash=message, flash_kind="ok",
                 focus_row=len(kept))


def _page(link: Link, token: str, **extra: Any) -> dict[str, Any]:
    return {
        "link": link,
        "base": _base(token),
        "api_base": f"/api/v1/p/{token}",
        "deadline": link.deadline,
        "time_zone": link.cohort_session.cohort.time_zone,
        **extra,
    }


def _form(
    request: Request, link: Link, token: str, lang: str, state: service.MapState,
    view: FormView, *, flash: str | None = None, flash_kind: str = "info",
    status_code: int = 200, focus_row: int | None = None, error_count: int = 0,
) -> Response:
    context = _page(link, token, **form_context(link, state, view, lang))
    context.update(flash=flash, flash_kind=flash_kind, focus_row=focus_row,
                   error_count=error_count)
    return render(request, "participant/form.html", context, lang=lang, status_code=status_code)


@router.get("/p/{token}/report")
def report_page(request: Request, token: str, db: SessionDep, settings: SettingsDep) -> Response:
    link = open_link(request, db, token)
    if link is None:
        return _not_found(request)
    lang = request_language(request, link.default_language)
    state = service.map_state(db, link)
    if state.status != service.SUBMITTED:
        return RedirectResponse(_base(token), status_code=303)
    return _report(request, db, settings, link, state, lang, closed=not link.is_open())


def _report(
    request: Request, db: Any, settings: Any, link: Link, state: service.MapState, lang: str,
    *, closed: bool,
) -> Response:
    submission = state.submission
    assert submission is not None
    embedded = report_html(db, submission, settings, lang)
    fallback = None
    if embedded is None:
        previous = state.previous
        previous_session = db.get(CohortSession, previous.session_id) if previous else None
        fallback = on_screen_report(
            submission, link.program, link.cohort_session.as_of(), lang, previous,
            previous_session.as_of() if previous_session else None,
            participant_ego(link.participant),
        )
    context = _page(
        link, request.path_params["token"],
        submission=submission, embedded=embedded, report=fallback, closed=closed,
        just_submitted=bool(request.query_params.get("submitted")),
        program=link.program,
    )
    return render(request, "participant/report.html", context, lang=lang)


@router.get("/p/{token}/sheet")
def sheet_page(request: Request, token: str, db: SessionDep) -> Response:
    """The entry grid: a filled paper worksheet typed in, one row per person."""
    link = open_link(request, db, token)
    if link is None:
        return _not_found(request)
    lang = request_language(request, link.default_language)
    if not link.is_open():
        return render(request, "participant/closed.html", _page(link, token), lang=lang)
    state = service.map_state(db, link)
    grid = sheet.grid_from_map(state.map, link.program, state.version)
    flash = None
    if request.query_params.get("saved"):
        flash = translate("Draft saved. You can come back to it with the same link.", lang)
    return _sheet(request, link, token, lang, state, grid, flash=flash, flash_kind="ok")


@router.post("/p/{token}/sheet")
def sheet_post(request: Request, token: str, posted: PostedForm, db: SessionDep) -> Response:
    link = open_link(request, db, token)
    if link is None:
        return _not_found(request)
    lang = request_language(request, link.default_language)
    if not link.is_open():
        return render(request, "participant/closed.html", _page(link, token), lang=lang,
                      status_code=403)
    state = service.map_state(db, link)
    grid = sheet.parse_grid(posted, state.version)
    if grid.action == "add_rows":
        for number, row in enumerate(grid.rows, 1):
            row.number = number
        sheet.add_rows(grid, forms.ADD_ROWS)
        return _sheet(request, link, token, lang, state, grid)
    mapped = sheet.grid_to_map(grid, link.program, lang)
    try:
        if grid.errors:
            raise MapValidationError([])
        link.ensure_open()
        service.save_map(
            db, cohort_session=link.cohort_session, participant=link.participant,
            program=link.program, data=mapped.data, expected_version=grid.version,
            submit=grid.action == "submit",
        )
    except LinkClosed:
        return render(request, "participant/closed.html", _page(link, token), lang=lang,
                      status_code=403)
    except VersionConflict as conflict:
        grid.version = conflict.current_version
        message = translate(
            "This map was changed elsewhere (in another tab or on another device) after you "
            "opened this page, so your changes were not saved. What you typed is still below. "
            "Reload the page to see the latest version, or press Save again to replace it with "
            "what you see here.", lang)
        return _sheet(request, link, token, lang, state, grid, flash=message,
                      flash_kind="error", status_code=409)
    except MapValidationError as invalid:
        sheet.add_validation_errors(grid, mapped, invalid.errors, lang)
        message = translate("Nothing was saved yet: please check the marked fields.", lang)
        return _sheet(request, link, token, lang, state, grid, flash=message,
                      flash_kind="error", status_code=422)
    if grid.action == "submit":
        return RedirectResponse(f"{_base(token)}/report?submitted=1", status_code=303)
    return RedirectResponse(f"{_base(token)}/sheet?saved=1", status_code=303)


def _sheet(
    request: Request, link: Link, token: str, lang: str, state: service.MapState,
    grid: sheet.Grid, *, flash: str | None = None, flash_kind: str = "info",
    status_code: int = 200,
) -> Response:
    context = _page(link, token, **sheet_context(link, state, grid, lang))
    context.update(flash=flash, flash_kind=flash_kind)
    return render(request, "participant/sheet.html", context, lang=lang,
                  status_code=status_code)


@router.get("/p/{token}/export")
def export_page(request: Request, token: str, db: SessionDep) -> Response:
    """Everything stored about me, as a page to read (the JSON download's twin)."""
    link = open_link(request, db, token)
    if link is None:
        return _not_found(request)
    lang = request_language(request, link.default_language)
    data = privacy.export_data(db, link)
    context = _page(link, token, **export_view(data, link.program, lang))
    return render(request, "participant/export.html", context, lang=lang)


@router.get("/p/{token}/delete")
def delete_page(request: Request, token: str, db: SessionDep) -> Response:
    link = open_link(request, db, token)
    if link is None:
        return _not_found(request)
    lang = request_language(request, link.default_language)
    stored = privacy.stored_sessions(db, link)
    return render(request, "participant/delete.html", _page(link, token, stored=stored), lang=lang)


@router.post("/p/{token}/delete")
def delete_post(request: Request, token: str, posted: PostedForm, db: SessionDep) -> Response:
    link = open_link(request, db, token)
    if link is None:
        return _not_found(request)
    lang = request_language(request, link.default_language)
    if posted.get("confirm") != "yes":
        stored = privacy.stored_sessions(db, link)
        message = translate("Tick the box to confirm, then press Delete.", lang)
        return render(request, "participant/delete.html",
                      _page(link, token, stored=stored, flash=message, flash_kind="error"),
                      lang=lang, status_code=422)
    privacy.erase_my_data(db, link)
    return render(request, "participant/deleted.html", _page(link, token), lang=lang)
