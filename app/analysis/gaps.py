"""The default gaps: a measure past a program threshold, with evidence and a next step.

Each detector returns a Gap or None. A gap's ``score`` in [0, 1] says how far
past its threshold the measure is, scaled by the distance from the threshold
to the worst possible value (0 for a share, -1 for the E-I index, 1 for
constraint and density). Severity follows the score: high from 0.5, medium
from 0.25, low below. Gaps are ranked by score, ties in DEFAULT_GAP_IDS order.

Gaps about the composition of existing contacts need at least one contact;
an empty map only shows the gaps about what is missing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.analysis import advice
from app.analysis.measures import DIVERSITY_ATTRIBUTES, attribute_values
from app.analysis.model import Contact, NetworkMap
from app.analysis.program import Program
from app.analysis.ranking import closest_first
from app.analysis.results import Gap, ReconnectItem, Severity

DEFAULT_GAP_IDS: tuple[str, ...] = (
    "resilience_deficit",
    "missing_developmental_roles",
    "dormant_ties",
    "insular_network",
    "narrow_network",
    "closed_network",
    "one_way_relationships",
    "not_a_connector",
    "no_personal_life",
    "draining_ties",
)
SUPPORTIVE_QUALITIES = frozenset({"energizes", "nurtures", "challenges"})
NAMED_CONTACTS = 3


@dataclass(frozen=True)
class GapContext:
    """What every detector needs: the map, program, metrics and a few lookups."""

    map: NetworkMap
    program: Program
    metrics: dict[str, Any]
    as_of: date
    reconnect: list[ReconnectItem]
    neighbours: dict[str, frozenset[str]]  # contact id -> contacts it is tied to

    @property
    def size(self) -> int:
        return len(self.map.contacts)

    def labels(self, contacts: Sequence[Contact]) -> list[str]:
        return [contact.label for contact in contacts]


def severity_for(score: float) -> Severity:
    if score >= 0.5:
        return "high"
    if score >= 0.25:
        return "medium"
    return "low"


def shortfall(value: float, threshold: float, worst: float) -> float:
    """How far ``value`` is past ``threshold`` towards ``worst``, clamped to [0, 1]."""
    span = threshold - worst
    if span == 0:
        return 1.0
    return min(1.0, max(0.0, (threshold - value) / span))


def _gap(
    gap_id: str,
    score: float,
    evidence: dict[str, float | int | str | None],
    next_step: dict[str, str],
    contacts: Sequence[Contact] = (),
) -> Gap:
    return Gap(
        id=gap_id,
        severity=severity_for(score),
        score=score,
        evidence=evidence,
        title=dict(advice.TITLES[gap_id]),
        next_step=next_step,
        contacts=[contact.id for contact in contacts],
    )


def resilience_deficit(ctx: GapContext) -> Gap | None:
    threshold = ctx.program.thresholds.min_growth_share
    growth = float(ctx.metrics["growth_share"])
    if growth >= threshold:
        return None
    candidates = sorted(
        (
            c
            for c in ctx.map.contacts
            if c.purpose == "company"
            and SUPPORTIVE_QUALITIES.intersection(c.qualities)
            and "drains" not in c.qualities
        ),
        key=closest_first,
    )[:2]
    return _gap(
        "resilience_deficit",
        shortfall(growth, threshold, 0.0),
        {"growth_share": growth, "threshold": threshold, "size": ctx.size},
        advice.resilience_deficit(growth, ctx.size, ctx.labels(candidates)),
        candidates,
    )


def missing_developmental_roles(ctx: GapContext) -> Gap | None:
    wanted = ctx.program.thresholds.developmental_roles
    counts: dict[str, int] = ctx.metrics["roles"]
    missing = [role for role in wanted if counts.get(role, 0) == 0]
    if not wanted or not missing:
        return None
    candidates = sorted(
        (
            c
            for c in ctx.map.contacts
            if {"challenges", "nurtures"}.intersection(c.qualities)
            and not set(wanted).intersection(c.roles)
            and "drains" not in c.qualities
        ),
        key=closest_first,
    )[:2]
    evidence: dict[str, float | int | str | None] = {
        f"roles.{role}": counts.get(role, 0) for role in wanted
    }
    evidence["missing"] = ", ".join(missing)
    return _gap(
        "missing_developmental_roles",
        len(missing) / len(wanted),
        evidence,
        advice.missing_developmental_roles(
            [ctx.program.label("roles", role, "en") for role in missing],
            [ctx.program.label("roles", role, "it") for role in missing],
            ctx.labels(candidates),
        ),
        candidates,
    )


def dormant_ties(ctx: GapContext) -> Gap | None:
    thresholds = ctx.program.thresholds
    dormant_share = float(ctx.metrics["dormant_share"])
    if ctx.size == 0 or dormant_share <= thresholds.max_dormant_share:
        return None
    # Name the best reconnections, but do not urge time with people who drain you.
    by_id = {contact.id: contact for contact in ctx.map.contacts}
    named = [
        by_id[item.contact_id]
        for item in ctx.reconnect
        if "drains" not in by_id[item.contact_id].qualities
    ][:NAMED_CONTACTS]
    return _gap(
        "dormant_ties",
        shortfall(dormant_share, thresholds.max_dormant_share, 1.0),
        {
            "dormant_count": ctx.metrics["dormant_count"],
            "dormant_share": dormant_share,
            "threshold": thresholds.max_dormant_share,
            "dormant_months": thresholds.dormant_months,
        },
        advice.dormant_ties(
            int(ctx.metrics["dormant_count"]), thresholds.dormant_months, ctx.labels(named)
        ),
        named,
    )


def insular_network(ctx: GapContext) -> Gap | None:
    threshold = ctx.program.thresholds.min_ei_index
    ei = float(ctx.metrics["ei_index"])
    if ctx.size == 0 or ei >= threshold:
        return None
    inside = sum(1 for c in ctx.map.contacts if c.organization == "inside")
    outside = [c for c in ctx.map.contacts if c.organization == "outside"]
    named = sorted(outside, key=closest_first)[:2]
    return _gap(
        "insular_network",
        shortfall(ei, threshold, -1.0),
        {"ei_index": ei, "inside": inside, "outside": len(outside), "threshold": threshold},
        advice.insular_network(inside, ctx.size, ctx.labels(named)),
        named,
    )


def narrow_network(ctx: GapContext) -> Gap | None:
    """Mean IQV over the attributes that at least two contacts have filled in."""
    threshold = ctx.program.thresholds.min_mean_iqv
    values_by_attribute = {a: attribute_values(ctx.map, a) for a in DIVERSITY_ATTRIBUTES}
    judged = [
        a for a in DIVERSITY_ATTRIBUTES if sum(v is not None for v in values_by_attribute[a]) >= 2
    ]
    if not judged:
        return None
    iqvs: dict[str, float] = ctx.metrics["iqv"]
    mean_iqv = sum(iqvs[a] for a in judged) / len(judged)
    if mean_iqv >= threshold:
        return None
    narrowest = min(judged, key=lambda a: iqvs[a])
    values = values_by_attribute[narrowest]
    dominant, dominant_count = Counter(v for v in values if v is not None).most_common(1)[0]
    valued = sum(v is not None for v in values)
    bridges = sorted(
        (c for c, v in zip(ctx.map.contacts, values, strict=True) if v not in (None, dominant)),
        key=closest_first,
    )[:2]
    evidence: dict[str, float | int | str | None] = {f"iqv.{a}": iqvs[a] for a in judged}
    evidence.update(
        {
            "mean_iqv": mean_iqv,
            "threshold": threshold,
            "narrowest": narrowest,
            "dominant_share": dominant_count / valued,
        }
    )
    return _gap(
        "narrow_network",
        shortfall(mean_iqv, threshold, 0.0),
        evidence,
        advice.narrow_network(
            narrowest,
            _display_value(ctx, narrowest, dominant, values),
            dominant_count / valued,
            ctx.labels(bridges),
        ),
        bridges,
    )


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


def closed_network(ctx: GapContext) -> Gap | None:
    thresholds = ctx.program.thresholds
    if ctx.size < thresholds.min_size_for_structure:
        return None
    constraint = float(ctx.metrics["constraint"])
    density = float(ctx.metrics["density"])
    if constraint <= thresholds.max_constraint and density <= thresholds.max_density:
        return None
    score = max(
        shortfall(-constraint, -thresholds.max_constraint, -1.0),
        shortfall(-density, -thresholds.max_density, -1.0),
    )
    # Bridges: contacts who know at most half of the others.
    half = (ctx.size - 1) / 2
    bridges = sorted(
        (c for c in ctx.map.contacts if len(ctx.neighbours[c.id]) <= half),
        key=lambda c: (len(ctx.neighbours[c.id]), *closest_first(c)),
    )[:2]
    return _gap(
        "closed_network",
        score,
        {
            "constraint": constraint,
            "density": density,
            "max_constraint": thresholds.max_constraint,
            "max_density": thresholds.max_density,
        },
        advice.closed_network(density, constraint, ctx.labels(bridges)),
        bridges,
    )


def one_way_relationships(ctx: GapContext) -> Gap | None:
    threshold = ctx.program.thresholds.min_helped_share
    helped = float(ctx.metrics["helped_share"])
    if ctx.size == 0 or helped >= threshold:
        return None
    not_helped = [c for c in ctx.map.contacts if not c.i_helped]
    owed = [c for c in not_helped if c.they_helped]
    named = sorted(owed or not_helped, key=closest_first)[:2]
    helped_by = float(ctx.metrics["helped_by_share"])
    return _gap(
        "one_way_relationships",
        shortfall(helped, threshold, 0.0),
        {"helped_share": helped, "helped_by_share": helped_by, "threshold": threshold},
        advice.one_way_relationships(helped, helped_by, ctx.labels(named)),
        named,
    )


def not_a_connector(ctx: GapContext) -> Gap | None:
    threshold = ctx.program.thresholds.min_introduced_share
    introduced = float(ctx.metrics["introduced_share"])
    if ctx.size == 0 or introduced >= threshold:
        return None
    pair = _untied_pair(ctx)
    return _gap(
        "not_a_connector",
        shortfall(introduced, threshold, 0.0),
        {"introduced_share": introduced, "threshold": threshold},
        advice.not_a_connector(introduced, ctx.labels(pair)),
        pair,
    )


def _untied_pair(ctx: GapContext, pool: int = 12) -> list[Contact]:
    """The two closest contacts (among the ``pool`` closest) who do not know each other."""
    candidates = sorted(
        (c for c in ctx.map.contacts if "drains" not in c.qualities), key=closest_first
    )[:pool]
    for index, first in enumerate(candidates):
        for second in candidates[index + 1 :]:
            if second.id not in ctx.neighbours[first.id]:
                return [first, second]
    return []


def no_personal_life(ctx: GapContext) -> Gap | None:
    thresholds = ctx.program.thresholds
    personal = sum(
        1
        for c in ctx.map.contacts
        if c.origin in thresholds.personal_origins
        or set(thresholds.personal_roles).intersection(c.roles)
    )
    if personal >= thresholds.min_personal_contacts:
        return None
    minimum = thresholds.min_personal_contacts
    return _gap(
        "no_personal_life",
        (minimum - personal) / minimum,
        {"personal_contacts": personal, "threshold": minimum},
        advice.no_personal_life(personal),
    )


def draining_ties(ctx: GapContext) -> Gap | None:
    threshold = ctx.program.thresholds.max_drains_share
    drains = float(ctx.metrics["drains_share"])
    if ctx.size == 0 or drains <= threshold:
        return None
    draining = sorted((c for c in ctx.map.contacts if "drains" in c.qualities), key=closest_first)
    energizers = sorted(
        (c for c in ctx.map.contacts if "energizes" in c.qualities and "drains" not in c.qualities),
        key=closest_first,
    )[:1]
    named = draining[:NAMED_CONTACTS]
    return _gap(
        "draining_ties",
        shortfall(-drains, -threshold, -1.0),
        {"drains_count": len(draining), "drains_share": drains, "threshold": threshold},
        advice.draining_ties(len(draining), ctx.labels(named), ctx.labels(energizers)),
        [*named, *energizers],
    )


DETECTORS: dict[str, Callable[[GapContext], Gap | None]] = {
    "resilience_deficit": resilience_deficit,
    "missing_developmental_roles": missing_developmental_roles,
    "dormant_ties": dormant_ties,
    "insular_network": insular_network,
    "narrow_network": narrow_network,
    "closed_network": closed_network,
    "one_way_relationships": one_way_relationships,
    "not_a_connector": not_a_connector,
    "no_personal_life": no_personal_life,
    "draining_ties": draining_ties,
}


def find_gaps(ctx: GapContext) -> list[Gap]:
    """Run every default detector and rank the gaps found, most severe first."""
    found = [gap for gap_id in DEFAULT_GAP_IDS if (gap := DETECTORS[gap_id](ctx)) is not None]
    order = {gap_id: index for index, gap_id in enumerate(DEFAULT_GAP_IDS)}
    return sorted(found, key=lambda gap: (-gap.score, order[gap.id]))
