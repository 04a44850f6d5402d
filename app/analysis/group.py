"""Group (cohort) analysis of one session's submitted maps.

Privacy rules of DESIGN.md apply to everything serialised here, decided by
app/analysis/disclosure.py: no contact label appears, a count is None unless
the rule allows it, and distributions carry no minimum or maximum.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from app.analysis.advice import title as gap_title
from app.analysis.analyze import analyze_map
from app.analysis.change import compare_maps
from app.analysis.disclosure import (
    disclose,
    disclose_parts,
    disclose_share,
    distribution,
    median,
    quantile,
)
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
    reviews: Mapping[str, Sequence[bool | None]] | None = None,
    min_group: int = 3,
    egos: Mapping[str, Ego] | None = None,
    unsuppressed: bool = False,
) -> GroupAnalysis:
    """Aggregate the submitted maps of a session (keyed by participant id).

    - distributions of every flat metric key across participants;
    - gap prevalence: participants with each default gap, ranked by count;
      suppressed entries follow those shown and present, in DEFAULT_GAP_IDS
      order, so the ranking does not reveal their counts; gaps nobody has come
      last;
    - company or growth per person: medians of each map's shares;
    - change since ``previous`` (the maps of the previous session, as of
      ``previous_as_of``) for participants who submitted both times, with
      commitments as ticked in ``reviews`` (per participant id, in the order
      of the previous map's commitments).

    ``egos`` (keyed like ``current``) gives each participant's own function and
    industry from the roster, for the same_* shares and the narrow-network gap.

    ``unsuppressed`` makes the facilitator's copy: counts are shown whatever
    their size (distributions still never show a minimum or maximum).
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
        gap_prevalence=_gap_prevalence(analyses, submitted, min_group, unsuppressed),
        purpose_mix=_purpose_mix(current, analyses, program, min_group, unsuppressed),
        change=None
        if previous is None or previous_as_of is None
        else _change(current, previous, program, previous_as_of, as_of, min_group,
                     reviews or {}, unsuppressed),
        suppressed=suppressed,
        min_group=min_group,
        analyses=analyses,
        facilitator_copy=unsuppressed,
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
    analyses: Mapping[str, MapAnalysis], submitted: int, min_group: int, unsuppressed: bool
) -> list[GapPrevalence]:
    # Every gap id is listed whatever its count, so that a hidden entry reveals nothing.
    counts = dict.fromkeys((*DEFAULT_GAP_IDS, MAP_TOO_SMALL), 0)
    for analysis in analyses.values():
        for gap_id in set(analysis.gap_ids()):
            counts[gap_id] = counts.get(gap_id, 0) + 1
    shown: list[GapPrevalence] = []
    hidden: list[GapPrevalence] = []
    for gap_id, count in counts.items():
        title = gap_title(gap_id)
        shown_count = (
            disclose(count, submitted, min_group, unsuppressed=unsuppressed)
            if submitted >= min_group or unsuppressed else None
        )
        if shown_count is None:
            hidden.append(GapPrevalence(id=gap_id, title=title, count=None, share=None))
        else:
            shown.append(GapPrevalence(
                id=gap_id, title=title, count=shown_count,
                share=disclose_share(count, submitted, min_group, unsuppressed=unsuppressed),
            ))
    order = {gap_id: index for index, gap_id in enumerate(counts)}
    shown.sort(key=lambda item: (-(item.count or 0), order[item.id]))
    # A hidden count is never 0 (0 is always shown), so hidden gaps rank above the
    # gaps nobody has: that says no more than hiding them, and keeps "most common
    # first" true when the most common (n - 1 of n) is the one hidden.
    present = [item for item in shown if item.count]
    absent = [item for item in shown if not item.count]
    return present + hidden + absent


def _purpose_mix(
    maps: Mapping[str, NetworkMap], analyses: Mapping[str, MapAnalysis], program: Program,
    min_group: int, unsuppressed: bool,
) -> PurposeMix:
    """Each map's shares, then their medians: the biggest map counts once, like the rest."""
    aim = program.thresholds.min_growth_share
    if len(analyses) < min_group:
        return PurposeMix(maps=len(analyses), company=None, growth=None, both=None, aim=aim,
                          at_aim=None)
    growth = [float(a.metrics["growth_share"]) for a in analyses.values()]
    company = [float(a.metrics["company_only_share"]) for a in analyses.values()]
    both = [share(sum(c.purpose == "both" for c in m.contacts), len(m.contacts))
            for m in maps.values()]
    reaching = sum(value >= aim for value in growth)
    return PurposeMix(
        maps=len(analyses),
        company=median(company, min_group),
        growth=median(growth, min_group),
        both=median(both, min_group),
        aim=aim,
        at_aim=disclose(reaching, len(growth), min_group, unsuppressed=unsuppressed),
        spread=distribution(growth, min_group),
    )


def _change(
    current: Mapping[str, NetworkMap],
    previous: Mapping[str, NetworkMap],
    program: Program,
    previous_as_of: date,
    as_of: date,
    min_group: int,
    reviews: Mapping[str, Sequence[bool | None]],
    unsuppressed: bool,
) -> CohortChange:
    per_participant: dict[str, ChangeSummary] = {
        pid: compare_maps(previous[pid], m, program, previous_as_of, as_of, reviews.get(pid))
        for pid, m in current.items()
        if pid in previous
    }
    compared = len(per_participant)
    keys = _metric_keys(program, as_of)
    if compared < min_group and not unsuppressed:
        return CohortChange(
            compared=compared,
            median_deltas=dict.fromkeys(keys),
            commitments_total=None,
            commitments_kept=None,
            commitments_not_kept=None,
            commitments_not_sure=None,
            dormant_reconnected=None,
            per_participant=per_participant,
        )
    summaries = list(per_participant.values())
    median_deltas: dict[str, float | None] = {}
    for key in keys:
        deltas = sorted(s.deltas[key] for s in summaries if key in s.deltas)
        median_deltas[key] = quantile(deltas, 0.5) if len(deltas) >= min_group else None
    total = sum(s.commitments_total for s in summaries)
    kept, not_kept, not_sure = _commitment_ticks(summaries, min_group, unsuppressed)

    return CohortChange(
        compared=compared,
        median_deltas=median_deltas,
        commitments_total=total,
        commitments_kept=kept,
        commitments_not_kept=not_kept,
        commitments_not_sure=not_sure,
        # Ties reconnected, shown only when the people who reconnected any may be counted.
        dormant_reconnected=None
        if disclose(sum(bool(s.reconnected) for s in summaries), compared, min_group,
                    unsuppressed=unsuppressed) is None
        else sum(len(s.reconnected) for s in summaries),
        per_participant=per_participant,
    )


def _commitment_ticks(
    summaries: Sequence[ChangeSummary], min_group: int, unsuppressed: bool
) -> list[int | None]:
    """Commitments kept, not kept and not sure, as ticked, under the disclosure rule.

    A tally is a count of commitments, but commitments belong to people: three
    not kept may all be one person's. So each tally must also pass the rule as
    people (those who ticked that answer at least once, of those who made any),
    and the three are disclosed together so the total does not give away a
    hidden one (app/analysis/disclosure.py, disclose_parts).
    """
    per_person = [(s.commitments_kept, s.commitments_not_kept, s.commitments_not_sure)
                  for s in summaries if s.commitments_total]
    parts = [sum(ticks[i] for ticks in per_person) for i in range(3)]
    people = [sum(bool(ticks[i]) for ticks in per_person) for i in range(3)]
    return disclose_parts(parts, people, len(per_person), min_group, unsuppressed=unsuppressed)
