"""The session dashboard's group picture: the analysis so far and its on-screen summary.

Where each participant is (progress) comes from app/participation/progress.py.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal, format_percent
from sqlalchemy.orm import Session

from app.analysis import Ego, GroupAnalysis, Program, review_answers
from app.analysis import analyze_session as analyze_group
from app.core.i18n import N_
from app.participation import repository as submissions
from app.participation.progress import submitted_maps
from app.reports.rendering.formatting import Formatter, texts
from app.reports.rendering.prompts import discussion_prompts
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


# --- the debrief on screen --------------------------------------------------------------

# Change measures on the debrief slide: (flat key, label msgid, kind, is a rise good news?).
DEBRIEF_CHANGES: list[tuple[str, str, str, bool]] = [
    ("size", N_("People on the map"), "count", True),
    ("growth_share", N_("For growth (or both)"), "share", True),
    ("dormant_share", N_("Dormant ties"), "share", False),
    ("introduced_share", N_("I introduced them to someone"), "share", True),
]
DEBRIEF_GAPS = 5  # common gaps on one slide, most common first


def debrief_slides(
    analysis: GroupAnalysis, lang: str, program: Program, session_number: int,
    *, first_session: bool | None = None,
) -> list[dict[str, Any]]:
    """The group picture as slides, one idea each, for the projector.

    Built from the same GroupAnalysis as the JSON and the group report, so the
    same disclosure rule holds: a suppressed count is None and is never shown,
    and no contact label or name is in it. Each slide is a dict with a ``kind``.

    ``first_session``: the cohort has no earlier session (by default, session 1);
    a later session whose previous one has no maps says so instead.
    """
    if first_session is None:
        first_session = session_number <= 1
    fmt = Formatter(lang)
    part = analysis.participation
    slides: list[dict[str, Any]] = [{
        "kind": "participation",
        "submitted": part.submitted, "invited": part.invited,
        "percent": round(100 * part.submitted / part.invited) if part.invited else 0,
    }]
    if analysis.suppressed:
        slides.append({"kind": "too_few", "min_group": analysis.min_group})
    else:
        slides.append(_purpose_slide(analysis, fmt))
        slides.append(_gaps_slide(analysis, fmt))
        slides.append(_change_slide(analysis, fmt, first_session))
    prompts = discussion_prompts(analysis, program, session_number, fmt,
                                 first_session=first_session)
    slides.extend({"kind": "prompt", "title": prompt["title"], "text": prompt["text"],
                   "number": number, "total": len(prompts)}
                  for number, prompt in enumerate(prompts, start=1))
    return slides


def _purpose_slide(analysis: GroupAnalysis, fmt: Formatter) -> dict[str, Any]:
    mix = analysis.purpose_mix
    spread = mix.spread
    return {
        "kind": "purpose",
        "growth": fmt.pct(mix.growth), "company": fmt.pct(mix.company),
        "growth_percent": round(100 * (mix.growth or 0)),
        "company_percent": round(100 * (mix.company or 0)),
        "aim": fmt.pct(mix.aim), "aim_percent": round(100 * mix.aim),
        "maps": mix.maps, "at_aim": mix.at_aim,
        "q1": fmt.pct(spread.q1) if spread else None,
        "q3": fmt.pct(spread.q3) if spread else None,
    }


def _gaps_slide(analysis: GroupAnalysis, fmt: Formatter) -> dict[str, Any]:
    submitted = analysis.participation.submitted
    common = [item for item in analysis.gap_prevalence if item.count][:DEBRIEF_GAPS]
    return {
        "kind": "gaps",
        "submitted": submitted,
        "gaps": [{
            "title": fmt.text(item.title).split(":", 1)[0],
            "count": item.count,
            "share": fmt.pct(item.share),
            "percent": round(100 * (item.share or 0)),
        } for item in common],
        "any_hidden": any(item.suppressed for item in analysis.gap_prevalence),
        "min_group": analysis.min_group,
    }


def _change_slide(analysis: GroupAnalysis, fmt: Formatter, first_session: bool
                  ) -> dict[str, Any]:
    change = analysis.change
    if change is None:
        return {"kind": "change", "state": "first" if first_session else "no_earlier_maps"}
    if change.suppressed:
        return {"kind": "change", "state": "too_few", "min_group": analysis.min_group}
    rows = []
    for key, label, kind, rise_is_good in DEBRIEF_CHANGES:
        delta = change.median_deltas.get(key)
        if delta is None:
            continue
        text = fmt.signed(delta, percent=kind == "share", digits=1)
        rows.append({"label": fmt._(label), "text": text,
                     "tone": "flat" if abs(delta) < 1e-9
                     else "good" if (delta > 0) == rise_is_good else "bad"})
    return {
        "kind": "change", "state": "shown", "compared": change.compared, "rows": rows,
        "total": change.commitments_total, "kept": change.commitments_kept,
        "not_kept": change.commitments_not_kept, "not_sure": change.commitments_not_sure,
        "reconnected": change.dormant_reconnected,
    }
