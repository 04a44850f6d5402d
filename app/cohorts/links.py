"""Personal links: one invitation per participant and session.

The link token is HMAC(SECRET_KEY, nonce); only its SHA-256 is stored, so the
facilitator can be shown a link again while a database copy alone reveals none.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cohorts.models import CohortSession, Invitation, Participant
from app.config import Settings
from app.security import link_token, new_nonce, sha256_hex


def new_invitation(
    settings: Settings, cohort_session: CohortSession, participant: Participant
) -> Invitation:
    nonce = new_nonce()
    return Invitation(
        session=cohort_session,
        participant=participant,
        token_nonce=nonce,
        token_hash=sha256_hex(link_token(settings.key, nonce)),
    )


def invitation_token(settings: Settings, invitation: Invitation) -> str:
    return link_token(settings.key, invitation.token_nonce)


def invitation_link(settings: Settings, invitation: Invitation) -> str:
    return f"{settings.base_url}/p/{invitation_token(settings, invitation)}"


def find_invitation(db: Session, token: str) -> Invitation | None:
    """The invitation for a link token, or None (unknown, malformed or revoked)."""
    if not token or len(token) > 128:
        return None
    invitation = db.scalar(select(Invitation).where(Invitation.token_hash == sha256_hex(token)))
    if invitation is None or invitation.revoked_at is not None:
        return None
    return invitation


def revoke_invitation(invitation: Invitation) -> None:
    if invitation.revoked_at is None:
        invitation.revoked_at = datetime.now(UTC)


def reissue_invitation(settings: Settings, invitation: Invitation) -> str:
    """Replace the link: the old one stops working at once. Returns the new link."""
    nonce = new_nonce()
    invitation.token_nonce = nonce
    invitation.token_hash = sha256_hex(link_token(settings.key, nonce))
    invitation.revoked_at = None
    invitation.email_status = "not_sent"
    invitation.email_error = None
    invitation.emailed_at = None
    return invitation_link(settings, invitation)
