"""Shared FastAPI dependencies, as `Annotated` aliases.

The database session commits at the dependency boundary: a handler that returns
normally has its work committed; one that raises is rolled back. Requests with an
unsafe method get a write session (BEGIN IMMEDIATE on SQLite); GET and HEAD get a
read session. A GET handler that must write uses `WriteSessionDep`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import Database

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_db(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DatabaseDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_session(request: Request, database: DatabaseDep) -> Iterator[Session]:
    with database.session(write=request.method not in SAFE_METHODS) as session:
        yield session


def get_write_session(database: DatabaseDep) -> Iterator[Session]:
    with database.session(write=True) as session:
        yield session


# scope="function": commit before the response is sent, so a client is never told
# "saved" for a transaction that then fails, and its next request sees its own write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]


# --- the signed-in facilitator (app/facilitators/auth.py explains the scheme) ----------

from app.facilitators import auth as _auth  # noqa: E402
from app.facilitators.models import Facilitator  # noqa: E402
from app.facilitators.service import resolve_session  # noqa: E402


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
