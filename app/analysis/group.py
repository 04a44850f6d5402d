"""Group (cohort) analysis of one session's submitted maps.

Privacy rules of DESIGN.md apply to everything serialised here: no contact
label appears, and any figure that would describe fewer than ``min_group``
participants is None (suppressed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from app.analysis.advice import TITLES
from app.analysis.analyze import analyze_map
from app.analysis.change import compare_maps
from app.analysis.gaps import MAP_TOO_SMALL
from app.analysis.measures import Ego, compute_metrics, flatten_metrics, share
from app.analysis.model import NetworkMap, empty_map
from app.analysis.program import DEFAULT_GAP_IDS, Program
from app.analysis.results import (
    ChangeSummary,
    CohortChange,
    Distribution,
    GapPrevalence,
    GroupAnalysis,
    MapAnalysis,
    Participation,
    PurposeMix,
)


def quantile(sorted_values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between order statistics (numpy's default, "type 7").

    ``sorted_values`` must be sorted and non-empty.
    """
    position = fraction * (len(sorted_values) - 1)
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    weight = position - lower
    return sorted_values[lower] * (1 - weight) + sorted_values[upper] * weight


def distribution(values: Sequence[float], min_group: int) -> Distribution | None:
    """Five-number summary, or None when fewer than ``min_group`` values."""
    if len(values) < min_group or not values:
        return None
    ordered = sorted(values)
    return Distribution(
        n=len(ordered),
        min=ordered[0],
        q1=quantile(ordered, 0.25),
        median=quantile(ordered, 0.5),
        q3=quantile(ordered, 0.75),
        max=ordered[-1],
    )


def analyze_session(
    current: Mapping[str, NetworkMap],
    program: Program,
    as_of: date,
    *,
    invited: int,
    opened: int,
    drafted: int,
    previous: Mapping[str, NetworkMap] | None = None,
    previous_as_of: date | None = None,
    min_group: int = 3,
    egos: Mapping[str, Ego] | None = None,
) -> GroupAnalysis:
    """Aggregate the submitted maps of a session (keyed by participant id).

    - distributions of every flat metric key across participants;
    - gap prevalence: participants with each default gap, ranked by count;
      suppressed entries follow in DEFAULT_GAP_IDS order, so the ranking does
      not reveal their counts;
    - purpose mix over all contacts of all maps;
    - change since ``previous`` (the maps of the previous session, as of
      ``previous_as_of``) for participants who submitted both times.

    ``egos`` (keyed like ``current``) gives each participant's own function and
    industry from the roster, for the same_* shares and the narrow-network gap.
    """
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    if previous is not None and previous_as_of is None:
        raise ValueError("previous_as_of is required when previous maps are given")
    egos = egos or {}
    analyses = {pid: analyze_map(m, program, as_of, egos.get(pid)) for pid, m in current.items()}
    submitted = len(analyses)
    suppressed = submitted < min_group

    return GroupAnalysis(
        participation=Participation(
            invited=invited, opened=opened, drafted=drafted, submitted=submitted
        ),
        distributions=_distributions(analyses, program, as_of, min_group),
        gap_prevalence=_gap_prevalence(analyses, submitted, min_group),
        purpose_mix=_purpose_mix(current.values(), suppressed),
        change=None
        if previous is None or previous_as_of is None
        else _change(current, previous, program, previous_as_of, as_of, min_group),
        suppressed=suppressed,
        min_group=min_group,
        analyses=analyses,
    )


def _metric_keys(program: Program, as_of: date) -> list[str]:
    # An ego with a known function and industry, so the same_* keys are listed too.
    known = Ego(function="-", industry="-")
    return list(flatten_metrics(compute_metrics(empty_map(), program, as_of, ego=known)))


def _distributions(
    analyses: Mapping[str, MapAnalysis], program: Program, as_of: date, min_group: int
) -> dict[str, Distribution | None]:
    flat = [flatten_metrics(analysis.metrics) for analysis in analyses.values()]
    keys = _metric_keys(program, as_of)
    return {
        key: distribution([values[key] for values in flat if key in values], min_group)
        for key in keys
    }


def _gap_prevalence(
    analyses: Mapping[str, MapAnalysis], submitted: int, min_group: int
) -> list[GapPrevalence]:
    # Every gap id is listed whatever its count, so that a hidden entry reveals nothing.
    counts = dict.fromkeys((*DEFAULT_GAP_IDS, MAP_TOO_SMALL), 0)
    for analysis in analyses.values():
        for gap_id in set(analysis.gap_ids()):
            counts[gap_id] = counts.get(gap_id, 0) + 1
    shown: list[GapPrevalence] = []
    hidden: list[GapPrevalence] = []
    for gap_id, count in counts.items():
        title = dict(TITLES.get(gap_id, {"en": gap_id, "it": gap_id}))
        if submitted < min_group or count < min_group:
            hidden.append(GapPrevalence(id=gap_id, title=title, count=None, share=None))
        else:
            shown.append(
                GapPrevalence(id=gap_id, title=title, count=count, share=count / submitted)
            )
    order = {gap_id: index for index, gap_id in enumerate(counts)}
    shown.sort(key=lambda item: (-(item.count or 0), order[item.id]))
    return shown + hidden


def _purpose_mix(maps: Iterable[NetworkMap], suppressed: bool) -> PurposeMix:
    if suppressed:
        return PurposeMix(contacts=None, company=None, growth=None, both=None)
    contacts = [contact for m in maps for contact in m.contacts]
    total = len(contacts)
    return PurposeMix(
        contacts=total,
        company=share(sum(c.purpose == "company" for c in contacts), total),
        growth=share(sum(c.purpose == "growth" for c in contacts), total),
        both=share(sum(c.purpose == "both" for c in contacts), total),
    )


def _change(
    current: Mapping[str, NetworkMap],
    previous: Mapping[str, NetworkMap],
    program: Program,
    previous_as_of: date,
    as_of: date,
    min_group: int,
) -> CohortChange:
    per_participant: dict[str, ChangeSummary] = {
        pid: compare_maps(previous[pid], m, program, previous_as_of, as_of)
        for pid, m in current.items()
        if pid in previous
    }
    compared = len(per_participant)
    keys = _metric_keys(program, as_of)
    if compared < min_group:
        return CohortChange(
            compared=compared,
            median_deltas=dict.fromkeys(keys),
            commitments_kept=None,
            commitments_checked=None,
            dormant_reconnected=None,
            per_participant=per_participant,
        )
    summaries = list(per_participant.values())
    median_deltas: dict[str, float | None] = {}
    for key in keys:
        deltas = sorted(s.deltas[key] for s in summaries if key in s.deltas)
        median_deltas[key] = quantile(deltas, 0.5) if len(deltas) >= min_group else None
    return CohortChange(
        compared=compared,
        median_deltas=median_deltas,
        commitments_kept=sum(s.commitments_kept for s in summaries),
        commitments_checked=sum(s.commitments_checked for s in summaries),
        dormant_reconnected=sum(len(s.reconnected) for s in summaries),
        per_participant=per_participant,
    )
