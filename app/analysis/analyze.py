"""Analysis of one map: metrics, ranked gaps and the reconnect list."""

from __future__ import annotations

from datetime import date

from app.analysis.gap_context import GapContext
from app.analysis.gaps import find_gaps
from app.analysis.measures import (
    Ego,
    compute_metrics,
    distinct_ties,
    months_since,
    neighbourhoods,
)
from app.analysis.model import NetworkMap
from app.analysis.program import Program
from app.analysis.ranking import reconnect_list
from app.analysis.results import MapAnalysis


def analyze_map(
    m: NetworkMap, program: Program, as_of: date, ego: Ego | None = None
) -> MapAnalysis:
    """Measure one map as of ``as_of`` and find its gaps.

    ``ego`` carries the participant's own function and industry from the
    roster (for ``same_function_share`` and ``same_industry_share``); without
    it those measures are absent.

    Warnings note data the measures had to work around: last contacts after
    ``as_of`` (treated as recent) and ties the map should not contain.
    """
    ties = distinct_ties(m)
    ego = ego or Ego()
    metrics = compute_metrics(m, program, as_of, ties=ties, ego=ego)
    neighbours = neighbourhoods([contact.id for contact in m.contacts], ties)
    reconnect = reconnect_list(m, as_of, program.thresholds.dormant_months)
    context = GapContext(
        map=m,
        program=program,
        metrics=metrics,
        as_of=as_of,
        reconnect=reconnect,
        neighbours={cid: frozenset(linked) for cid, linked in neighbours.items()},
        ego=ego,
    )
    return MapAnalysis(
        metrics=metrics,
        gaps=find_gaps(context),
        reconnect=reconnect,
        warnings=_warnings(m, as_of, len(ties)),
    )


def _warnings(m: NetworkMap, as_of: date, distinct: int) -> list[str]:
    warnings = [
        f"contacts[{index}].last_contact: {contact.last_contact} is after {as_of.isoformat()}"
        for index, contact in enumerate(m.contacts)
        if contact.last_contact is not None and months_since(contact.last_contact, as_of) < 0
    ]
    if distinct != len(m.ties):
        warnings.append(f"ties: {len(m.ties) - distinct} self, repeated or unknown ties ignored")
    return warnings
