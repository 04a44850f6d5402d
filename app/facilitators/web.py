"""Sign-in and sign-out pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.core.deps import SessionDep, SettingsDep
from app.core.i18n import translate
from app.core.web import request_language
from app.facilitators import auth
from app.facilitators.deps import SignedInWeb
from app.facilitators.pages import page, see_other
from app.facilitators.service import end_session, resolve_session, start_session

router = APIRouter(include_in_schema=False)


def _login_page(
    request: Request, settings: SettingsDep, *, next_url: str, error: str | None = None,
    email: str = "", status_code: int = 200,
) -> HTMLResponse:
    nonce_response = Response()
    token = auth.login_csrf(settings, request, nonce_response)
    response = page(
        request, "facilitator/login.html",
        {"login_csrf": token, "next": next_url, "error": error, "email": email},
        status_code=status_code,
    )
    for key, value in nonce_response.headers.items():
        if key == "set-cookie":
            response.headers.append(key, value)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, db: SessionDep, settings: SettingsDep, next: str | None = None
) -> Response:
    if resolve_session(db, request.cookies.get(auth.SESSION_COOKIE)) is not None:
        return RedirectResponse(auth.safe_next(next), status_code=303)
    return _login_page(request, settings, next_url=auth.safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/cohorts",
) -> Response:
    lang = request_language(request)
    next_url = auth.safe_next(next)
    if not auth.login_csrf_valid(settings, request, csrf_token):
        return _login_page(
            request, settings, next_url=next_url, email=email, status_code=403,
            error=translate("The form expired. Please sign in again.", lang),
        )
    facilitator = auth.checked_sign_in(request, db, email, password)
    if facilitator is None:
        return _login_page(
            request, settings, next_url=next_url, email=email, status_code=400,
            error=translate("That email and password do not match an account.", lang),
        )
    token, _ = start_session(
        db, facilitator, max_age=timedelta(hours=settings.session_max_age_hours),
        replacing=request.cookies.get(auth.SESSION_COOKIE),
    )
    response = RedirectResponse(next_url, status_code=303)
    auth.set_session_cookie(settings, response, token)
    response.delete_cookie(auth.LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, db: SessionDep, settings: SettingsDep, _: SignedInWeb) -> Response:
    end_session(db, request.cookies.get(auth.SESSION_COOKIE))
    response = see_other("/login", "signed_out")
    auth.clear_session_cookie(settings, response)
    return response
