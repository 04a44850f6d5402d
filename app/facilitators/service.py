"""Facilitator accounts, sign-in sessions and API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from app.core.errors import Invalid
from app.core.security import hash_password, new_opaque_token, sha256_hex, verify_password
from app.facilitators import repository
from app.facilitators.models import Facilitator, SignInSession
from app.facilitators.repository import get_by_email

MIN_PASSWORD_LENGTH = 10
# A hash to verify against when the email is unknown, so both paths cost the same.
_DUMMY_HASH: str | None = None


def normalize_email(email: str, *, field: str = "email") -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Invalid(f"{field}: {exc}") from exc


def create_facilitator(db: Session, *, email: str, password: str, name: str = "") -> Facilitator:
    email = normalize_email(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"password: must be at least {MIN_PASSWORD_LENGTH} characters")
    if get_by_email(db, email) is not None:
        raise Invalid(f"email: a facilitator with {email} already exists")
    facilitator = Facilitator(
        email=email, name=name.strip()[:120], password_hash=hash_password(password)
    )
    db.add(facilitator)
    db.flush()
    return facilitator


def set_password(db: Session, facilitator: Facilitator, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"password: must be at least {MIN_PASSWORD_LENGTH} characters")
    facilitator.password_hash = hash_password(password)


def authenticate(db: Session, email: str, password: str) -> Facilitator | None:
    global _DUMMY_HASH
    facilitator = get_by_email(db, email.strip())
    if facilitator is None or not facilitator.is_active:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password("not-a-real-password")
        verify_password(password, _DUMMY_HASH)
        return None
    return facilitator if verify_password(password, facilitator.password_hash) else None


# --- sign-in sessions and API tokens ---------------------------------------------------
#
# A browser session and a bearer token are both rows of SignInSession: the client
# holds a random token, the database holds only its SHA-256, with an expiry.


def start_session(
    db: Session, facilitator: Facilitator, *, max_age: timedelta, replacing: str | None = None
) -> tuple[str, SignInSession]:
    """Issue a new token for `facilitator`; the session of `replacing` (if any) ends."""
    now = datetime.now(UTC)
    if replacing:
        repository.delete_sign_in(db, sha256_hex(replacing))
    repository.delete_expired_sign_ins(db, now)
    token = new_opaque_token()
    signed_in = SignInSession(
        id=sha256_hex(token), facilitator_id=facilitator.id, created_at=now,
        expires_at=now + max_age,
    )
    db.add(signed_in)
    db.flush()
    return token, signed_in


def resolve_session(db: Session, token: str | None) -> tuple[SignInSession, Facilitator] | None:
    """The live session and its facilitator for a token, or None."""
    if not token or len(token) > 200:
        return None
    signed_in = repository.get_sign_in(db, sha256_hex(token))
    if signed_in is None or signed_in.expires_at <= datetime.now(UTC):
        return None
    facilitator = repository.get_facilitator(db, signed_in.facilitator_id)
    if facilitator is None or not facilitator.is_active:
        return None
    return signed_in, facilitator


def end_session(db: Session, token: str | None) -> None:
    if token:
        repository.delete_sign_in(db, sha256_hex(token))
