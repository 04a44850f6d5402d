"""The OAuth2 password flow: a bearer token for scripts."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordRequestForm

from app.core.deps import SessionDep, SettingsDep
from app.facilitators.auth import SESSION_COOKIE, checked_sign_in
from app.facilitators.deps import CurrentFacilitator, SignedInApi
from app.facilitators.schemas import FacilitatorOut, TokenOut
from app.facilitators.service import end_session, start_session

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenOut,
    summary="Sign in: exchange email and password for a bearer token",
    responses={
        401: {"description": "Wrong email or password"},
        429: {"description": "Too many sign-in attempts from this address"},
    },
)
def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    db: SessionDep,
    settings: SettingsDep,
) -> TokenOut:
    """The OAuth2 password flow: `username` is the facilitator's email.

    Send the token as `Authorization: Bearer <access_token>`; it expires after
    `expires_in` seconds. Requests with a bearer token need no CSRF token.
    """
    facilitator = checked_sign_in(request, db, form.username[:254], form.password[:1000])
    if facilitator is None:
        raise HTTPException(
            401, detail="username or password: no match", headers={"WWW-Authenticate": "Bearer"}
        )
    max_age = timedelta(hours=settings.session_max_age_hours)
    token, _ = start_session(db, facilitator, max_age=max_age)
    return TokenOut(access_token=token, expires_in=int(max_age.total_seconds()))


@router.delete(
    "/token",
    status_code=204,
    summary="Sign out: revoke the bearer token (or the browser session) in use",
    responses={401: {"description": "Not signed in"}},
)
def revoke_token(request: Request, db: SessionDep, signed_in: SignedInApi) -> None:
    if signed_in.via == "bearer":
        token = request.headers.get("authorization", "").partition(" ")[2].strip()
    else:
        token = request.cookies.get(SESSION_COOKIE, "")
    end_session(db, token)


@router.get(
    "/me",
    response_model=FacilitatorOut,
    summary="The signed-in facilitator",
    responses={401: {"description": "Not signed in"}},
)
def me(facilitator: CurrentFacilitator) -> FacilitatorOut:
    return FacilitatorOut.model_validate(facilitator, from_attributes=True)
