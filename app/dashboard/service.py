"""The session dashboard's group picture: the analysis so far and its on-screen summary.

Where each participant is (progress) comes from app/participation/progress.py.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal, format_percent
from sqlalchemy.orm import Session

from app.analysis import Ego, GroupAnalysis, review_answers
from app.analysis import analyze_session as analyze_group
from app.core.i18n import N_
from app.participation import repository as submissions
from app.participation.progress import submitted_maps
from app.reports.rendering.formatting import texts
from app.sessions import repository as sessions
from app.sessions.models import CohortSession

# --- the group picture ------------------------------------------------------------------


def commitment_reviews(db: Session, cohort_session: CohortSession) -> dict[str, list[bool | None]]:
    """What each participant ticked for last session's commitments (kept / not kept / not sure)."""
    return {
        str(submission.participant_id): review_answers(submission.commitment_review)
        for submission, _ in submissions.submitted_with_participants(db, cohort_session.id)
    }


def group_analysis(db: Session, cohort_session: CohortSession) -> GroupAnalysis:
    """analyze_session over the submitted maps, with the previous session's for change."""
    program = cohort_session.cohort.program_definition()
    current = submitted_maps(db, cohort_session, program)
    before = sessions.previous_session(db, cohort_session)
    previous = submitted_maps(db, before, program) if before is not None else None
    counts = submissions.participation(db, cohort_session.id)
    return analyze_group(
        current,
        program,
        cohort_session.as_of(),
        invited=counts["invited"], opened=counts["opened"], drafted=counts["drafted"],
        previous=previous or None,
        previous_as_of=before.as_of() if before is not None and previous else None,
        egos={
            str(participant.id): Ego(function=participant.function, industry=participant.industry)
            for _, participant in submissions.submitted_with_participants(db, cohort_session.id)
        },
        reviews=commitment_reviews(db, cohort_session),
    )
# Measures shown on the dashboard, in order: (key, English label, kind).
# The labels are message ids of the facilitator catalog.
KEY_MEASURES: list[tuple[str, str, str]] = [
    ("size", N_("Contacts"), "number"),
    ("growth_share", N_("For growth (or both)"), "share"),
    ("company_only_share", N_("For the company only"), "share"),
    ("dormant_share", N_("Dormant ties"), "share"),
    ("ei_index", N_("Outside vs inside (E-I index)"), "signed"),
    ("iqv.function", N_("Variety of functions (IQV)"), "index"),
    ("iqv.industry", N_("Variety of industries (IQV)"), "index"),
    ("density", N_("Density (contacts who know each other)"), "index"),
    ("constraint", N_("Constraint (Burt)"), "index"),
    ("effective_size", N_("Effective size (Burt)"), "number"),
    ("helped_share", N_("I helped them (6 months)"), "share"),
    ("introduced_share", N_("I introduced them to someone"), "share"),
    ("energizes_share", N_("Energize me"), "share"),
    ("drains_share", N_("Drain me"), "share"),
]


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
    data = analysis.to_json(texts(lang))
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
            "p10": format_value(dist and dist["p10"], kind, lang),
            "p90": format_value(dist and dist["p90"], kind, lang),
        })
    for gap in data["gap_prevalence"]:
        gap["share_text"] = format_value(gap["share"], "share", lang)
        gap["percent"] = round((gap["share"] or 0) * 100)
    mix = data["purpose_mix"]
    data["purpose_mix_text"] = {
        key: format_value(mix[key], "share", lang)
        for key in ("company", "growth", "both", "aim")
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
