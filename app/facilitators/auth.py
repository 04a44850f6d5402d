"""Who is asking: session cookies, bearer tokens and CSRF tokens.

- Browser: the cookie `wellspring_session` holds a random token; the database
  holds its SHA-256 (SignInSession.id). Every unsafe request made with the cookie
  must carry the synchronizer token HMAC(SECRET_KEY, "csrf:" + session id), in the
  form field `csrf_token` or the `X-CSRF-Token` header.
- Sign-in form (no session yet): a signed double-submit token. The cookie
  `wellspring_login` holds a random nonce; the form carries HMAC(SECRET_KEY,
  "login:" + nonce).
- API: `Authorization: Bearer <token>` from POST /api/v1/auth/token. A bearer
  request needs no CSRF token: browsers never attach that header on their own.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import HTTPException, Request, Response
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.ratelimit import RateLimits, client_address
from app.core.security import constant_time_equals, new_opaque_token
from app.facilitators.models import Facilitator, SignInSession
from app.facilitators.service import authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

SESSION_COOKIE = "wellspring_session"
LOGIN_COOKIE = "wellspring_login"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    auto_error=False,
    description="A bearer token from POST /api/v1/auth/token (or the browser's session cookie).",
)


def _hmac(settings: Settings, purpose: str, value: str) -> str:
    digest = hmac.new(settings.key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()


# --- CSRF ------------------------------------------------------------------------------


def csrf_token_for(settings: Settings, signed_in: SignInSession) -> str:
    return _hmac(settings, "csrf", signed_in.id)


def csrf_valid(settings: Settings, signed_in: SignInSession, presented: str | None) -> bool:
    return bool(presented) and constant_time_equals(
        csrf_token_for(settings, signed_in), str(presented)
    )


def login_csrf(settings: Settings, request: Request, response: Response | None = None) -> str:
    """The sign-in form's token; sets the nonce cookie on `response` when there is none."""
    nonce = request.cookies.get(LOGIN_COOKIE)
    if not nonce or len(nonce) > 100:
        nonce = new_opaque_token()
        if response is not None:
            set_login_cookie(settings, response, nonce)
    request.state.login_nonce = nonce
    return _hmac(settings, "login", nonce)


def set_login_cookie(settings: Settings, response: Response, nonce: str) -> None:
    response.set_cookie(
        LOGIN_COOKIE, nonce, max_age=3600, httponly=True, samesite="lax",
        secure=settings.https, path="/",
    )


def login_csrf_valid(settings: Settings, request: Request, presented: str | None) -> bool:
    nonce = request.cookies.get(LOGIN_COOKIE)
    if not nonce or not presented or len(nonce) > 100:
        return False
    return constant_time_equals(_hmac(settings, "login", nonce), presented)


# --- cookies ---------------------------------------------------------------------------


def set_session_cookie(settings: Settings, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, max_age=settings.session_max_age_hours * 3600,
        httponly=True, samesite="lax", secure=settings.https, path="/",
    )


def clear_session_cookie(settings: Settings, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=settings.https, path="/"
    )


# --- who is asking ----------------------------------------------------------------------
# The FastAPI dependencies built on these (CurrentFacilitator,
# CurrentFacilitatorWeb) live in deps.py.


@dataclass
class SignedIn:
    facilitator: Facilitator
    session: SignInSession
    via: str  # "cookie" | "bearer"


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def forbidden_csrf() -> HTTPException:
    return HTTPException(
        403, detail="csrf_token: missing or invalid; reload the page and try again"
    )


def login_redirect(request: Request) -> HTTPException:
    target = request.url.path
    if request.method in SAFE_METHODS and request.url.query:
        target += "?" + request.url.query
    return HTTPException(
        303, detail="sign in first", headers={"Location": "/login?next=" + quote(target, safe="")}
    )


def safe_next(target: str | None, default: str = "/cohorts") -> str:
    """Only local paths: never an open redirect."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(ch) < 32 for ch in target)
    ):
        return default
    return target


def checked_sign_in(request: Request, db: Session, email: str, password: str) -> Facilitator | None:
    """authenticate(), under the sign-in limits: failures count per address and per account,
    and once either is used up even the right password waits (that is what stops guessing)."""
    limits: RateLimits = request.app.state.rate_limits
    address = client_address(request)
    limits.before_sign_in(address, email)
    facilitator = authenticate(db, email, password)
    if facilitator is None:
        limits.failed_sign_in(address, email)
    return facilitator
