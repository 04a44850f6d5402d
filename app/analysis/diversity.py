"""The narrow-network gap: low diversity of functions, industries and origins,
or most contacts sharing the participant's own function or industry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from app.analysis import advice
from app.analysis.gap_context import GapContext, make_gap, shortfall
from app.analysis.measures import (
    DIVERSITY_ATTRIBUTES,
    SAME_AS_EGO_ATTRIBUTES,
    Ego,
    attribute_values,
    normalize_category,
)
from app.analysis.model import NetworkMap
from app.analysis.ranking import closest_first
from app.analysis.results import Gap

MIN_FILLED_TO_JUDGE = 2  # contacts with a value before an attribute's spread is judged


def filled_counts(m: NetworkMap) -> dict[str, int]:
    """How many contacts have each diversity attribute filled in (all are optional)."""
    return {a: sum(v is not None for v in attribute_values(m, a)) for a in DIVERSITY_ATTRIBUTES}


def judged_attributes(filled: dict[str, int]) -> list[str]:
    """The diversity attributes filled in often enough to judge (see filled_counts)."""
    return [a for a in DIVERSITY_ATTRIBUTES if filled[a] >= MIN_FILLED_TO_JUDGE]


def mean_iqv_over(iqv: dict[str, float], judged: Sequence[str]) -> float | None:
    """The mean IQV over ``judged`` attributes (None when there are none)."""
    return sum(float(iqv[a]) for a in judged) / len(judged) if judged else None


def judged_mean_iqv(m: NetworkMap, iqv: dict[str, float]) -> float | None:
    """The mean IQV over the judged attributes (None when none is), as the gap uses it."""
    return mean_iqv_over(iqv, judged_attributes(filled_counts(m)))


def narrow_network(ctx: GapContext) -> Gap | None:
    """Low diversity or high sameness.

    Low diversity: the mean IQV over the attributes that at least two contacts
    have filled in is below ``min_mean_iqv``, or a free-text attribute filled in
    for at least ``min_map_size`` contacts has fewer than ``min_distinct``
    different values. High sameness: more than ``max_same_share`` of the
    contacts with a value share the participant's own function or industry.
    The reason with the highest score is the one the next step talks about.
    """
    thresholds = ctx.program.thresholds
    valued = filled_counts(ctx.map)
    judged = judged_attributes(valued)
    iqvs: dict[str, float] = ctx.metrics["iqv"]
    mean_iqv = mean_iqv_over(iqvs, judged)
    if mean_iqv is None:
        return None
    distinct: dict[str, int] = ctx.metrics["distinct"]

    reasons: dict[str, tuple[float, str]] = {}  # reason -> (score, attribute)
    same_shares = {
        a: float(ctx.metrics[f"same_{a}_share"])
        for a in SAME_AS_EGO_ATTRIBUTES
        if f"same_{a}_share" in ctx.metrics and valued[a] >= MIN_FILLED_TO_JUDGE
    }
    too_same = {a: v for a, v in same_shares.items() if v > thresholds.max_same_share}
    if too_same:
        attribute = max(too_same, key=lambda a: too_same[a])
        reasons["same"] = (
            shortfall(-too_same[attribute], -thresholds.max_same_share, -1.0),
            attribute,
        )
    few = [
        a
        for a in SAME_AS_EGO_ATTRIBUTES
        if valued[a] >= thresholds.min_map_size and distinct[a] < thresholds.min_distinct
    ]
    if few:
        attribute = min(few, key=lambda a: distinct[a])
        missing = thresholds.min_distinct - distinct[attribute]
        reasons["few"] = (missing / thresholds.min_distinct, attribute)
    if mean_iqv < thresholds.min_mean_iqv:
        reasons["mix"] = (
            shortfall(mean_iqv, thresholds.min_mean_iqv, 0.0),
            min(judged, key=lambda a: iqvs[a]),
        )
    if not reasons:
        return None
    reason = max(reasons, key=lambda r: reasons[r][0])
    score, attribute = reasons[reason]

    values = attribute_values(ctx.map, attribute)
    counts = Counter(v for v in values if v is not None)
    if reason == "same":
        dominant = normalize_own(ctx.ego, attribute)
        dominant_count = counts[dominant]
    else:
        dominant, dominant_count = counts.most_common(1)[0]
    bridges = sorted(
        (
            c
            for c, v in zip(ctx.map.contacts, values, strict=True)
            if v not in (None, dominant) and "drains" not in c.qualities
        ),
        key=closest_first,
    )[:2]
    evidence: dict[str, float | int | str | None] = {f"iqv.{a}": iqvs[a] for a in judged}
    evidence.update({f"distinct.{a}": distinct[a] for a in DIVERSITY_ATTRIBUTES})
    evidence.update({f"same_{a}_share": v for a, v in same_shares.items()})
    evidence.update(
        {
            "mean_iqv": mean_iqv,
            "threshold": thresholds.min_mean_iqv,
            "min_distinct": thresholds.min_distinct,
            "max_same_share": thresholds.max_same_share,
            "reason": reason,
            "narrowest": attribute,
            "dominant_share": dominant_count / valued[attribute],
        }
    )
    if reason == "same":
        shown = (getattr(ctx.ego, attribute) or dominant).strip()
        display = {"en": shown, "it": shown}
    else:
        display = _display_value(ctx, attribute, dominant, values)
    return make_gap(
        "narrow_network",
        score,
        evidence,
        advice.narrow_network(
            attribute,
            display,
            dominant_count / valued[attribute],
            ctx.labels(bridges),
            reason=reason,
            distinct=distinct[attribute],
        ),
        bridges,
    )


def normalize_own(ego: Ego, attribute: str) -> str:
    """The participant's own value of ``attribute``, normalised like the contacts'."""
    return normalize_category(getattr(ego, attribute)) or ""


def _display_value(
    ctx: GapContext, attribute: str, normalized: str, values: Sequence[str | None]
) -> dict[str, str]:
    if attribute == "origin":
        return {lang: ctx.program.label("origins", normalized, lang) for lang in ("en", "it")}
    for contact, value in zip(ctx.map.contacts, values, strict=True):
        if value == normalized:
            original = (getattr(contact, attribute) or normalized).strip()
            return {"en": original, "it": original}
    return {"en": normalized, "it": normalized}
