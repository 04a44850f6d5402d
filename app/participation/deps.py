"""Opening a personal link from a request, under the rate limits.

Every participant route resolves its token here: an address that has guessed too
many links lately is refused before the lookup; an unknown or revoked token counts
as a failed lookup by that address; a valid link counts against its own, generous
per-link limit (never per address: a class shares one). See app/core/ratelimit.py.
"""

from __future__ import annotations

from fastapi import BackgroundTasks, Request
from sqlalchemy.orm import Session

from app.core.db import Database
from app.core.ratelimit import RateLimits, client_address
from app.participation import service
from app.participation.service import Link


def open_link(request: Request, db: Session, token: str) -> Link | None:
    limits: RateLimits = request.app.state.rate_limits
    address = client_address(request)
    limits.before_lookup(address)
    link = service.open_link(db, token)
    if link is None:
        limits.failed_lookup_by(address)
        return None
    limits.on_link(link.invitation.token_hash)
    return link


def note_first_visit(request: Request, background: BackgroundTasks, link: Link) -> None:
    """Record when the link was first opened, in a short write of its own.

    Only the first visit writes, and only after the response has gone out, when the
    request's read session is closed: the pages and the API's GET stay read-only, and
    a request never holds two connections at once.
    """
    if link.invitation.opened_at is not None:
        return
    database: Database = request.app.state.database
    background.add_task(_mark_opened, database, link.invitation.id)


def _mark_opened(database: Database, invitation_id: int) -> None:
    with database.session(write=True) as writer:
        service.mark_opened(writer, invitation_id)
