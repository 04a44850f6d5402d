"""The journey report: every session of a cohort so far, for the cohort or one participant.

The cohort's journey carries, per session, exactly what the group report's
inputs carry (maps keyed by participant id, own function and industry, ticks,
participation; no names, no commitment texts), and the renderer runs the
group report's analysis on each, so its figures obey the same disclosure
rule. The participant's journey carries only that participant's maps.

Cached like every report: under the latest session, with the participant for
their own journey, so erasing a participant removes both (invalidate_participant).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.analysis import review_answers
from app.cohorts.models import Cohort, Participant
from app.core.config import Settings
from app.core.errors import NotFound
from app.core.i18n import normalize_language
from app.participation import repository as submissions
from app.participation.models import SubmissionStatus
from app.reports import repository as cache
from app.reports.rendering import pool
from app.reports.rendering.render import render_report
from app.reports.service import RenderedPDF, slug
from app.sessions.models import CohortSession

KIND = "journey"


def _sessions(cohort: Cohort) -> list[CohortSession]:
    return sorted(cohort.sessions, key=lambda s: s.number)


def _common(cohort: Cohort, sessions: list[CohortSession], settings: Settings,
            scope: str) -> dict[str, Any]:
    latest = sessions[-1]
    return {
        "kind": KIND,
        "scope": scope,
        "program": cohort.program,
        "language": normalize_language(cohort.language),
        "page_size": settings.page_size,
        "cohort": {"name": cohort.name},
        "session": {"number": latest.number, "title": latest.title},
        "as_of": latest.as_of().isoformat(),
    }


def cohort_journey_inputs(db: Session, cohort: Cohort, settings: Settings) -> dict[str, Any]:
    """No names here: the cohort's journey must not be able to show who is who."""
    sessions = _sessions(cohort)
    if not sessions:
        raise NotFound(f"cohort {cohort.id}: no session yet, so no journey")
    inputs = _common(cohort, sessions, settings, "cohort")
    months = []
    for cohort_session in sessions:
        rows = submissions.submitted_with_participants(db, cohort_session.id)
        months.append({
            "number": cohort_session.number,
            "title": cohort_session.title,
            "as_of": cohort_session.as_of().isoformat(),
            "participation": submissions.participation(db, cohort_session.id),
            "maps": {str(sub.participant_id): sub.map for sub, _ in rows},
            "egos": {str(person.id): {"function": person.function, "industry": person.industry}
                     for _, person in rows},
            "reviews": {str(sub.participant_id): review_answers(sub.commitment_review)
                        for sub, _ in rows},
        })
    inputs["sessions"] = months
    return inputs


def participant_journey_inputs(db: Session, participant: Participant, settings: Settings,
                               language: str | None = None) -> dict[str, Any]:
    cohort = participant.cohort
    sessions = _sessions(cohort)
    months = []
    for cohort_session in sessions:
        submission = submissions.get_submission(db, cohort_session.id, participant.id)
        submitted = submission is not None and submission.status == SubmissionStatus.SUBMITTED
        months.append({
            "number": cohort_session.number,
            "title": cohort_session.title,
            "as_of": cohort_session.as_of().isoformat(),
            "map": submission.map if submitted and submission is not None else None,
            "review": review_answers(submission.commitment_review)
            if submitted and submission is not None else [],
        })
    if not any(month["map"] for month in months):
        raise NotFound("journey: submit your map first; the journey is made from your maps")
    inputs = _common(cohort, sessions, settings, "participant")
    if language:  # the participant's own report follows their choice, not the cohort's
        inputs["language"] = normalize_language(language, inputs["language"])
    inputs.update(
        participant={"name": participant.name},
        ego={"function": participant.function, "industry": participant.industry},
        sessions=months,
    )
    return inputs


def _render(db: Session, inputs: dict[str, Any], settings: Settings, *, session_id: int,
            participant_id: int | None) -> tuple[bytes, str]:
    key = cache.cache_key(KIND, inputs)
    content = cache.lookup(db, key)
    if content is None:
        content = pool.run(settings.render_workers, render_report, KIND, inputs).pdf
        cache.store(db, key, KIND, content, session_id=session_id, participant_id=participant_id)
    return content, key


def cohort_journey(db: Session, cohort: Cohort, *, settings: Settings) -> RenderedPDF:
    inputs = cohort_journey_inputs(db, cohort, settings)
    latest = _sessions(cohort)[-1]
    content, key = _render(db, inputs, settings, session_id=latest.id, participant_id=None)
    return RenderedPDF(content, f'"{key[:40]}"', f"wellspring-{slug(cohort.name)}-journey.pdf")


def participant_journey(db: Session, participant: Participant, *,
                        settings: Settings, language: str | None = None) -> RenderedPDF:
    inputs = participant_journey_inputs(db, participant, settings, language)
    latest = _sessions(participant.cohort)[-1]
    content, key = _render(db, inputs, settings, session_id=latest.id,
                           participant_id=participant.id)
    name = f"wellspring-{slug(participant.cohort.name)}-{slug(participant.name)}-journey.pdf"
    return RenderedPDF(content, f'"{key[:40]}"', name)
