"""The rendered-report cache (queries), in the database so every app instance shares it.

A key is the SHA-256 of the report kind, its canonical inputs and the
template version; any change of an input gives a new key. When a new PDF is
stored, older rows of the same kind for the same participant or session are
deleted, and erasure deletes them all (invalidate_*).

Writing the cache is best effort: if the row cannot be written (another
instance stored the same key first, or SQLite is busy), the freshly rendered
PDF is still returned.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any, NamedTuple, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.cohorts.models import Participant
from app.reports.models import CachedReport
from app.reports.rendering.templating import TEMPLATE_VERSION
from app.sessions.models import CohortSession

logger = logging.getLogger("wellspring.reports")


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def cache_key(kind: str, inputs: Any) -> str:
    digest = hashlib.sha256()
    digest.update(kind.encode())
    digest.update(b"\0")
    digest.update(TEMPLATE_VERSION.encode())
    digest.update(b"\0")
    digest.update(canonical_json(inputs))
    return digest.hexdigest()


class CachedDocument(NamedTuple):
    content: bytes
    pages: int | None  # None for rows stored before page counts were kept


def lookup_document(db: Session, key: str) -> CachedDocument | None:
    """The cached PDF with its page count (what a pack's cover needs before it opens the PDF)."""
    row = db.execute(
        select(CachedReport.content, CachedReport.pages).where(CachedReport.key == key)
    ).first()
    return None if row is None else CachedDocument(row.content, row.pages)


def lookup(db: Session, key: str) -> bytes | None:
    """The cached PDF alone."""
    found = lookup_document(db, key)
    return None if found is None else found.content


def store(db: Session, key: str, kind: str, content: bytes, *, session_id: int | None,
          participant_id: int | None, pages: int | None = None) -> None:
    try:
        with db.begin_nested():
            stale = delete(CachedReport).where(
                CachedReport.kind == kind,
                CachedReport.key != key,
                CachedReport.session_id.is_(None) if session_id is None
                else CachedReport.session_id == session_id,
                CachedReport.participant_id.is_(None) if participant_id is None
                else CachedReport.participant_id == participant_id,
            )
            db.execute(stale)
            db.add(CachedReport(
                key=key, kind=kind, session_id=session_id, participant_id=participant_id,
                template_version=TEMPLATE_VERSION, content=content, byte_size=len(content),
                pages=pages,
            ))
    except (IntegrityError, OperationalError) as exc:
        logger.info("report cache not written (%s): %s", kind, exc.__class__.__name__)


def invalidate_participant(db: Session, participant_id: int) -> int:
    """Delete the participant's reports and every group report, pack or ZIP of their cohort.

    Group figures and packs include this person's map (and packs their name),
    so erasure must take those too. Call it before the participant's rows go:
    the cohort is found through the participant.
    """
    # Two statements (this runs inside a submit's write transaction): the group reports
    # of every session of their cohort, and of any session they have a report of, then
    # their own reports.
    cohort_id = select(Participant.cohort_id).where(Participant.id == participant_id)
    cohort_sessions = select(CohortSession.id).where(
        CohortSession.cohort_id == cohort_id.scalar_subquery()
    )
    own_sessions = select(CachedReport.session_id).where(
        CachedReport.participant_id == participant_id, CachedReport.session_id.is_not(None)
    )
    removed = int(cast(CursorResult[Any], db.execute(
        delete(CachedReport)
        .where(
            CachedReport.participant_id.is_(None),
            CachedReport.session_id.in_(cohort_sessions)
            | CachedReport.session_id.in_(own_sessions),
        )
        # Nothing of the cache is loaded in a save's session: no objects to synchronise.
        .execution_options(synchronize_session=False)
    )).rowcount or 0)
    return removed + _delete(db, CachedReport.participant_id == participant_id)


def invalidate_session(db: Session, session_id: int) -> int:
    return _delete(db, CachedReport.session_id == session_id)


def _delete(db: Session, *conditions: Any) -> int:
    result = cast(CursorResult[Any], db.execute(delete(CachedReport).where(*conditions)))
    return int(result.rowcount or 0)
