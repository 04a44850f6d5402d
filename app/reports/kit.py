"""The facilitation kit of a session (PDF, cohort's language).

Its inputs are the group report's (maps keyed by participant id, no names, no
commitment texts), so the kit's prompts and commitment counts come from the same
analysis and obey the same disclosure rule. Cached by the hash of its inputs like
every report, under the session.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.config import Settings
from app.reports import repository as cache
from app.reports.rendering import pool
from app.reports.rendering.kit import render_kit
from app.reports.service import RenderedPDF, group_inputs, slug
from app.sessions.models import CohortSession

KIND = "kit"


def facilitation_kit(db: Session, cohort_session: CohortSession, *,
                     settings: Settings) -> RenderedPDF:
    inputs = group_inputs(db, cohort_session, settings)
    inputs["kind"] = KIND
    key = cache.cache_key(KIND, inputs)
    content = cache.lookup(db, key)
    if content is None:
        content = pool.run(settings.render_workers, render_kit, inputs).pdf
        cache.store(db, key, KIND, content, session_id=cohort_session.id, participant_id=None)
    name = (f"wellspring-{slug(cohort_session.cohort.name)}"
            f"-session-{cohort_session.number}-kit.pdf")
    return RenderedPDF(content, f'"{key[:40]}"', name)
