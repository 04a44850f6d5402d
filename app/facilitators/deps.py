"""Who is signed in: the FastAPI dependencies for facilitator routes.

`CurrentFacilitator` (API: a bearer token, or the browser's cookie plus a CSRF
header on unsafe methods) and `CurrentFacilitatorWeb` (pages: the cookie, else a
redirect to /login; unsafe methods need the CSRF token). auth.py explains the scheme.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core.deps import SAFE_METHODS, SessionDep, SettingsDep
from app.facilitators import auth as _auth
from app.facilitators.models import Facilitator
from app.facilitators.service import resolve_session


def api_signed_in(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[str | None, Depends(_auth.oauth2_scheme)],
) -> _auth.SignedIn:
    """A bearer token, or else the session cookie with a CSRF header on unsafe methods."""
    if request.headers.get("authorization"):
        if not bearer:
            raise _auth.unauthorized("Authorization: use the Bearer scheme")
        found = resolve_session(db, bearer)
        if found is None:
            raise _auth.unauthorized("Authorization: the token is invalid or has expired")
        return _auth.SignedIn(found[1], found[0], "bearer")
    found = resolve_session(db, request.cookies.get(_auth.SESSION_COOKIE))
    if found is None:
        raise _auth.unauthorized("not signed in: send a bearer token from /api/v1/auth/token")
    signed_in = _auth.SignedIn(found[1], found[0], "cookie")
    if request.method not in SAFE_METHODS and not _auth.csrf_valid(
        settings, signed_in.session, request.headers.get(_auth.CSRF_HEADER)
    ):
        raise _auth.forbidden_csrf()
    return signed_in


def web_session(request: Request, db: SessionDep) -> _auth.SignedIn:
    found = resolve_session(db, request.cookies.get(_auth.SESSION_COOKIE))
    if found is None:
        raise _auth.login_redirect(request)
    return _auth.SignedIn(found[1], found[0], "cookie")


async def web_signed_in(
    request: Request,
    settings: SettingsDep,
    signed_in: Annotated[_auth.SignedIn, Depends(web_session)],
) -> _auth.SignedIn:
    """The browser's session (else a redirect to /login); unsafe methods need the CSRF token."""
    if request.method not in SAFE_METHODS:
        presented = request.headers.get(_auth.CSRF_HEADER)
        content_type = request.headers.get("content-type", "")
        if not presented and content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            value = (await request.form()).get(_auth.CSRF_FIELD)
            presented = value if isinstance(value, str) else None
        if not _auth.csrf_valid(settings, signed_in.session, presented):
            raise _auth.forbidden_csrf()
    request.state.csrf_token = _auth.csrf_token_for(settings, signed_in.session)
    return signed_in


def _facilitator_of(signed_in: _auth.SignedIn) -> Facilitator:
    return signed_in.facilitator


def api_facilitator(signed_in: Annotated[_auth.SignedIn, Depends(api_signed_in)]) -> Facilitator:
    return _facilitator_of(signed_in)


def web_facilitator(signed_in: Annotated[_auth.SignedIn, Depends(web_signed_in)]) -> Facilitator:
    return _facilitator_of(signed_in)


SignedInApi = Annotated[_auth.SignedIn, Depends(api_signed_in)]
SignedInWeb = Annotated[_auth.SignedIn, Depends(web_signed_in)]
CurrentFacilitator = Annotated[Facilitator, Depends(api_facilitator)]
CurrentFacilitatorWeb = Annotated[Facilitator, Depends(web_facilitator)]
