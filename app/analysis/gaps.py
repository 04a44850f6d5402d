"""The default gaps: a measure past a program threshold, with evidence and a next step.

Each detector returns a Gap or None. A gap's ``score`` in [0, 1] says how far
past its threshold the measure is, scaled by the distance from the threshold
to the worst possible value (0 for a share, -1 for the E-I index, 1 for
constraint and density). Severity follows the score: high from 0.5, medium
from 0.25, low below.

Ranking weighs the program's theme: gaps are ordered by ``weight * score``
(``Program.gap_weights``, 1 unless set), ties in DEFAULT_GAP_IDS order.

A map with fewer than ``min_map_size`` contacts is too small to judge its
shape: the analysis then shows "map_too_small" first (ask for a fuller map)
and, after it, only the gaps about what is missing (SMALL_MAP_GAP_IDS), at
most of medium severity. No next step except the one about draining ties
names a contact who drains the participant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from app.analysis import advice
from app.analysis.diversity import narrow_network
from app.analysis.gap_context import GapContext, make_gap, shortfall
from app.analysis.model import Contact
from app.analysis.program import DEFAULT_GAP_IDS
from app.analysis.ranking import closest_first
from app.analysis.results import Gap

MAP_TOO_SMALL = "map_too_small"
# The gaps about what is missing, which a short map can already show.
SMALL_MAP_GAP_IDS: tuple[str, ...] = ("missing_developmental_roles", "no_personal_life")
SUPPORTIVE_QUALITIES = frozenset({"energizes", "nurtures", "challenges"})
NAMED_CONTACTS = 3


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
    return make_gap(
        "resilience_deficit",
        shortfall(growth, threshold, 0.0),
        {"growth_share": growth, "threshold": threshold, "size": ctx.size},
        advice.resilience_deficit(growth, ctx.labels(candidates)),
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
    return make_gap(
        "missing_developmental_roles",
        len(missing) / len(wanted),
        evidence,
        advice.missing_developmental_roles(
            [{lang: ctx.program.label("roles", role, lang) for lang in ("en", "it")}
             for role in missing],
            ctx.labels(candidates),
        ),
        candidates,
    )


def dormant_ties(ctx: GapContext) -> Gap | None:
    thresholds = ctx.program.thresholds
    dormant_share = float(ctx.metrics["dormant_share"])
    if ctx.size == 0 or dormant_share <= thresholds.max_dormant_share:
        return None
    # The head of the reconnect list, in its order (it leaves out people who drain you).
    by_id = {contact.id: contact for contact in ctx.map.contacts}
    named = [by_id[item.contact_id] for item in ctx.reconnect[:NAMED_CONTACTS]]
    return make_gap(
        "dormant_ties",
        shortfall(dormant_share, thresholds.max_dormant_share, 1.0),
        {
            "dormant_count": ctx.metrics["dormant_count"],
            "dormant_share": dormant_share,
            "threshold": thresholds.max_dormant_share,
            "dormant_months": thresholds.dormant_months,
        },
        advice.dormant_ties(
            int(ctx.metrics["dormant_count"]), thresholds.dormant_months, ctx.labels(named),
            ctx.size,
        ),
        named,
    )


def insular_network(ctx: GapContext) -> Gap | None:
    threshold = ctx.program.thresholds.min_ei_index
    ei = float(ctx.metrics["ei_index"])
    if ctx.size == 0 or ei >= threshold:
        return None
    inside = sum(1 for c in ctx.map.contacts if c.organization == "inside")
    outside = sum(1 for c in ctx.map.contacts if c.organization == "outside")
    named = sorted((c for c in ctx.nameable if c.organization == "outside"), key=closest_first)[:2]
    return make_gap(
        "insular_network",
        shortfall(ei, threshold, -1.0),
        {"ei_index": ei, "inside": inside, "outside": outside, "threshold": threshold},
        advice.insular_network(inside, ctx.size, ctx.labels(named)),
        named,
    )


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
        (c for c in ctx.nameable if len(ctx.neighbours[c.id]) <= half),
        key=lambda c: (len(ctx.neighbours[c.id]), *closest_first(c)),
    )[:2]
    return make_gap(
        "closed_network",
        score,
        {
            "constraint": constraint,
            "density": density,
            "max_constraint": thresholds.max_constraint,
            "max_density": thresholds.max_density,
        },
        advice.closed_network(density, constraint, ctx.labels(bridges),
                              thresholds.max_density),
        bridges,
        title=advice.closed_network_title(density, thresholds.max_density),
    )


def one_way_relationships(ctx: GapContext) -> Gap | None:
    threshold = ctx.program.thresholds.min_helped_share
    helped = float(ctx.metrics["helped_share"])
    if ctx.size == 0 or helped >= threshold:
        return None
    not_helped = [c for c in ctx.nameable if not c.i_helped]
    owed = [c for c in not_helped if c.they_helped]
    named = sorted(owed or not_helped, key=closest_first)[:2]
    helped_by = float(ctx.metrics["helped_by_share"])
    return make_gap(
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
    return make_gap(
        "not_a_connector",
        shortfall(introduced, threshold, 0.0),
        {"introduced_share": introduced, "threshold": threshold},
        advice.not_a_connector(introduced, ctx.labels(pair)),
        pair,
    )


def _untied_pair(ctx: GapContext, pool: int = 12) -> list[Contact]:
    """The two closest contacts (among the ``pool`` closest) who do not know each other."""
    candidates = sorted(ctx.nameable, key=closest_first)[:pool]
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
    return make_gap(
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
    energizers = sorted((c for c in ctx.nameable if "energizes" in c.qualities), key=closest_first)[
        :1
    ]
    named = draining[:NAMED_CONTACTS]
    return make_gap(
        "draining_ties",
        shortfall(-drains, -threshold, -1.0),
        {"drains_count": len(draining), "drains_share": drains, "threshold": threshold},
        advice.draining_ties(
            len(draining), ctx.labels(named), ctx.labels(energizers), ctx.size
        ),
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


def map_too_small(ctx: GapContext) -> Gap | None:
    """Fewer than ``min_map_size`` contacts: ask for a fuller map before judging it."""
    minimum = ctx.program.thresholds.min_map_size
    if ctx.size >= minimum:
        return None
    return make_gap(
        MAP_TOO_SMALL,
        1.0,
        {"size": ctx.size, "threshold": minimum},
        advice.map_too_small(ctx.size, minimum),
    )


def _at_most_medium(gap: Gap) -> Gap:
    if gap.severity != "high":
        return gap
    return replace(gap, severity="medium")


def find_gaps(ctx: GapContext) -> list[Gap]:
    """Run the default detectors and rank the gaps found, most important first.

    Order: ``program.gap_weight(id) * score``, highest first, ties in
    DEFAULT_GAP_IDS order. A map that is too small gets "map_too_small" first
    and then only the gaps about what is missing, none of them high.
    """
    order = {gap_id: index for index, gap_id in enumerate(DEFAULT_GAP_IDS)}

    def rank(gaps: list[Gap]) -> list[Gap]:
        return sorted(gaps, key=lambda g: (-ctx.program.gap_weight(g.id) * g.score, order[g.id]))

    too_small = map_too_small(ctx)
    if too_small is not None:
        found = [gap for gap_id in SMALL_MAP_GAP_IDS if (gap := DETECTORS[gap_id](ctx)) is not None]
        return [too_small, *rank([_at_most_medium(gap) for gap in found])]
    return rank([gap for gap_id in DEFAULT_GAP_IDS if (gap := DETECTORS[gap_id](ctx)) is not None])
