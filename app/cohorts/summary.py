"""The group analysis of a session, from the stored maps, and its on-screen summary."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

from babel.numbers import format_decimal, format_percent
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analysis import GroupAnalysis, MapValidationError, NetworkMap, Program, parse_map
from app.analysis import analyze_session as analyze_group
from app.cohorts.models import CohortSession, Invitation
from app.cohorts.service import cohort_program
from app.participation.models import Submission

logger = logging.getLogger("wellspring.cohorts")

# Measures shown on the dashboard, in order: (key, English label, kind).
# The labels are message ids of the facilitator catalog.
KEY_MEASURES: list[tuple[str, str, str]] = [
    ("size", "Contacts", "number"),
    ("growth_share", "For growth (or both)", "share"),
    ("company_only_share", "For the company only", "share"),
    ("dormant_share", "Dormant ties", "share"),
    ("ei_index", "Outside vs inside (E-I index)", "signed"),
    ("iqv.function", "Variety of functions (IQV)", "index"),
    ("iqv.industry", "Variety of industries (IQV)", "index"),
    ("density", "Density (contacts who know each other)", "index"),
    ("constraint", "Constraint (Burt)", "index"),
    ("effective_size", "Effective size (Burt)", "number"),
    ("helped_share", "I helped them (6 months)", "share"),
    ("introduced_share", "I introduced them to someone", "share"),
    ("energizes_share", "Energize me", "share"),
    ("drains_share", "Drain me", "share"),
]


def session_as_of(cohort_session: CohortSession) -> date:
    """The session's "now" for every measure: its deadline day (today, if that is sooner)."""
    deadline = cohort_session.deadline
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=UTC)
    return min(deadline.date(), datetime.now(UTC).date())


def submitted_maps(
    db: Session, cohort_session: CohortSession, program: Program
) -> dict[str, NetworkMap]:
    """The session's submitted maps by participant id (as a string)."""
    maps: dict[str, NetworkMap] = {}
    rows = db.execute(
        select(Submission.participant_id, Submission.map)
        .join(Invitation, (Invitation.session_id == Submission.session_id)
              & (Invitation.participant_id == Submission.participant_id))
        .where(
            Submission.session_id == cohort_session.id,
            Submission.status == "submitted",
            Invitation.revoked_at.is_(None),
        )
        .order_by(Submission.participant_id)
    )
    for participant_id, data in rows:
        try:
            maps[str(participant_id)] = parse_map(data, program).map
        except MapValidationError as exc:  # a map stored under an older program
            logger.warning("session %s: skipping participant %s's map: %s",
                           cohort_session.id, participant_id, exc)
    return maps


def previous_session(db: Session, cohort_session: CohortSession) -> CohortSession | None:
    return db.scalar(
        select(CohortSession).where(
            CohortSession.cohort_id == cohort_session.cohort_id,
            CohortSession.number == cohort_session.number - 1,
        )
    )


def group_analysis(
    db: Session, cohort_session: CohortSession, counts: dict[str, int]
) -> GroupAnalysis:
    """analyze_session over the submitted maps, with the previous session's for change.

    `counts` is Progress.counts (see sessions.progress).
    """
    program = cohort_program(cohort_session.cohort)
    current = submitted_maps(db, cohort_session, program)
    before = previous_session(db, cohort_session)
    previous = submitted_maps(db, before, program) if before is not None else None
    return analyze_group(
        current,
        program,
        session_as_of(cohort_session),
        invited=sum(counts.get(s, 0) for s in ("submitted", "draft", "opened", "not_opened")),
        opened=sum(counts.get(s, 0) for s in ("submitted", "draft", "opened")),
        drafted=counts.get("draft", 0),
        previous=previous or None,
        previous_as_of=session_as_of(before) if before is not None and previous else None,
    )


def format_value(value: float | None, kind: str, lang: str) -> str:
    """A figure as shown on screen, in the page's language ("–" when suppressed)."""
    if value is None:
        return "–"
    if kind == "share":
        return str(format_percent(value, "#,##0%", locale=lang))
    if kind == "signed":
        return ("+" if value > 0 else "") + str(format_decimal(value, "#,##0.00", locale=lang))
    if kind == "index":
        return str(format_decimal(value, "#,##0.00", locale=lang))
    return str(format_decimal(value, "#,##0.#", locale=lang))


def summary_view(analysis: GroupAnalysis, lang: str) -> dict[str, Any]:
    """What the dashboard shows: key distributions, ranked common gaps, purpose mix.

    Only the analysis's own JSON is used, so its suppression of small groups
    holds here too, and no contact label can appear.
    """
    data = analysis.to_json(lang)
    distributions = data["distributions"]
    measures = []
    for key, label, kind in KEY_MEASURES:
        if key not in distributions:
            continue
        dist = distributions[key]
        measures.append({
            "key": key, "label": label, "dist": dist,
            "median": format_value(dist and dist["median"], kind, lang),
            "q1": format_value(dist and dist["q1"], kind, lang),
            "q3": format_value(dist and dist["q3"], kind, lang),
            "min": format_value(dist and dist["min"], kind, lang),
            "max": format_value(dist and dist["max"], kind, lang),
        })
    for gap in data["gap_prevalence"]:
        gap["share_text"] = format_value(gap["share"], "share", lang)
        gap["percent"] = round((gap["share"] or 0) * 100)
    mix = data["purpose_mix"]
    data["purpose_mix_text"] = {
        key: format_value(mix[key], "share", lang) for key in ("company", "growth", "both")
    }
    return {
        "json": data,
        "measures": measures,
        "gaps": data["gap_prevalence"],
        "purpose_mix": data["purpose_mix"],
        "purpose_mix_text": data["purpose_mix_text"],
        "change": data["change"],
        "suppressed": data["suppressed"],
        "min_group": data["min_group"],
        "submitted": data["participation"]["submitted"],
    }
