"""Property-based tests of the disclosure rules over random cohorts (DESIGN.md, Privacy).

- every count shown is 0, all, or leaves at least 3 on both sides;
- no distribution carries a minimum or maximum, nor depends on the extreme maps;
- with fewer than 3 maps, nothing but participation is shown;
- no contact label or commitment text reaches the group JSON.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.analysis import (
    GroupAnalysis,
    NetworkMap,
    Program,
    analyze_session,
    count_shown,
    disclose,
    flatten_metrics,
)
from app.analysis.disclosure import distribution
from tests.analysis.analysis_support import build_map, contact
from tests.texts import EN

AS_OF = date(2025, 4, 14)
BEFORE = date(2025, 3, 10)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

MONTHS = ["2022-05", "2023-11", "2024-06", "2025-01", "2025-02", "2025-03", "2025-04"]


@st.composite
def contacts(draw: st.DrawFn, owner: str) -> list[dict[str, Any]]:
    size = draw(st.integers(0, 7))
    return [
        contact(
            f"c{index}",
            label=f"Zq{owner}L{index}",
            purpose=draw(st.sampled_from(["company", "growth", "both"])),
            roles=draw(st.lists(st.sampled_from(["mentor", "peer", "community", "friend",
                                                 "way_shower", "client"]),
                                max_size=2, unique=True)),
            origin=draw(st.sampled_from(["current_job", "former_job", "profession",
                                         "education", "personal"])),
            organization=draw(st.sampled_from(["inside", "outside"])),
            function=draw(st.sampled_from(["Finance", "Sales", "HR", "IT"])),
            qualities=draw(st.lists(st.sampled_from(["energizes", "nurtures", "challenges",
                                                     "drains"]), max_size=2, unique=True)),
            last_contact=draw(st.sampled_from(MONTHS)),
            i_helped=draw(st.booleans()),
            they_helped=draw(st.booleans()),
            introduced=draw(st.booleans()),
        )
        for index in range(size)
    ]


@st.composite
def network(draw: st.DrawFn, owner: str) -> NetworkMap:
    people = draw(contacts(owner))
    ids = [person["id"] for person in people]
    commitments = [
        {"text": f"Call Zq{owner}L{index} soon",
         "contact": draw(st.sampled_from([None, *ids])) if ids else None}
        for index in range(draw(st.integers(0, 3)))
    ]
    ties = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=6)
                ) if len(ids) >= 2 else []
    return build_map(people, ties=[t for t in ties if t[0] != t[1]], commitments=commitments)


@st.composite
def cohorts(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(0, 10))
    current = {f"p{i}": draw(network(f"p{i}")) for i in range(size)}
    with_previous = draw(st.booleans())
    previous = {f"p{i}": draw(network(f"p{i}")) for i in range(size)
                if draw(st.booleans())} if with_previous else None
    reviews = {
        pid: draw(st.lists(st.sampled_from([True, False, None]), max_size=3))
        for pid in current
    }
    return {"current": current, "previous": previous, "reviews": reviews}


def analyse(cohort: dict[str, Any], program: Program, unsuppressed: bool = False) -> GroupAnalysis:
    size = len(cohort["current"])
    previous = cohort["previous"]
    return analyze_session(
        cohort["current"], program, AS_OF, invited=size + 2, opened=size + 1, drafted=size,
        previous=previous, previous_as_of=BEFORE if previous is not None else None,
        reviews=cohort["reviews"], unsuppressed=unsuppressed,
    )


def keys_anywhere(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = set(value)
        for item in value.values():
            found |= keys_anywhere(item)
        return found
    if isinstance(value, list):
        return set().union(*(keys_anywhere(item) for item in value)) if value else set()
    return set()


def test_the_count_rule_exhaustively() -> None:
    for n in range(0, 41):
        for k in range(0, n + 1):
            expected = n >= 3 and (k in (0, n) or (k >= 3 and n - k >= 3))
            assert count_shown(k, n) is expected, (k, n)
            assert disclose(k, n) == (k if expected else None)
            assert disclose(k, n, unsuppressed=True) == k


@SETTINGS
@given(cohort=cohorts())
def test_every_shown_count_obeys_the_rule(program: Program, cohort: dict[str, Any]) -> None:
    group = analyse(cohort, program)
    data = group.to_json(EN)
    submitted = data["participation"]["submitted"]
    for gap in data["gap_prevalence"]:
        if gap["count"] is not None:
            assert count_shown(gap["count"], submitted), gap
            assert gap["share"] == gap["count"] / submitted
    mix = data["purpose_mix"]
    if mix["at_aim"] is not None:
        assert count_shown(mix["at_aim"], mix["maps"])
    change = data["change"]
    if change is not None and change["commitments_total"] is not None:
        total = change["commitments_total"]
        # commitments without a contact count as well
        made = sum(len(cohort["previous"][pid].commitments)
                   for pid in cohort["current"] if pid in cohort["previous"])
        assert total == made
        for key in ("commitments_kept", "commitments_not_kept", "commitments_not_sure"):
            if change[key] is not None:
                assert count_shown(change[key], total), (key, change[key], total)
        if change["dormant_reconnected"] is not None:
            people = sum(bool(s.reconnected) for s in group.change.per_participant.values())
            assert count_shown(people, change["compared"])


@SETTINGS
@given(cohort=cohorts())
def test_commitments_are_counted_as_ticked(program: Program, cohort: dict[str, Any]) -> None:
    group = analyse(cohort, program, unsuppressed=True)
    if group.change is None:
        return
    expected = {True: 0, False: 0, None: 0}
    for pid in group.change.per_participant:
        made = len(cohort["previous"][pid].commitments)
        ticks = list(cohort["reviews"].get(pid, []))[:made]
        ticks += [None] * (made - len(ticks))
        for tick in ticks:
            expected[tick] += 1
    change = group.change
    assert (change.commitments_kept, change.commitments_not_kept,
            change.commitments_not_sure) == (expected[True], expected[False], expected[None])


@SETTINGS
@given(cohort=cohorts())
def test_no_minimum_or_maximum_and_no_extremes(program: Program, cohort: dict[str, Any]) -> None:
    group = analyse(cohort, program)
    data = group.to_json(EN)
    keys = keys_anywhere(data)
    assert not keys & {"min", "max", "minimum", "maximum", "range"}
    flat = {pid: flatten_metrics(a.metrics) for pid, a in group.analyses.items()}
    for key, dist in group.distributions.items():
        if dist is None:
            continue
        values = sorted(float(f[key]) for f in flat.values() if key in f)
        assert dist.n == len(values) >= 3
        # nothing shown lies outside the second lowest and second highest map
        shown = [dist.p10, dist.q1, dist.median, dist.q3, dist.p90]
        assert shown == sorted(shown)
        assert values[1] - 1e-9 <= dist.p10 and dist.p90 <= values[-2] + 1e-9


@SETTINGS
@given(values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=30),
       low=st.floats(1, 1e6), high=st.floats(1, 1e6))
def test_extremes_do_not_move_a_distribution(values: list[float], low: float,
                                             high: float) -> None:
    """Making the lowest lower or the highest higher changes nothing shown."""
    ordered = sorted(values)
    moved = [ordered[0] - low, *ordered[1:-1], ordered[-1] + high]
    assert distribution(values) == distribution(moved)


@SETTINGS
@given(cohort=cohorts())
def test_under_three_maps_only_participation(program: Program, cohort: dict[str, Any]) -> None:
    group = analyse(cohort, program)
    data = group.to_json(EN)
    labels = [c.label for m in cohort["current"].values() for c in m.contacts]
    labels += [c.label for m in (cohort["previous"] or {}).values() for c in m.contacts]
    text = json.dumps(data)
    assert not [label for label in labels if label in text]
    assert "Call Zq" not in text
    if len(cohort["current"]) >= 3:
        return
    assert data["suppressed"] is True
    assert all(dist is None for dist in data["distributions"].values())
    assert all(g["count"] is None and g["share"] is None for g in data["gap_prevalence"])
    mix = data["purpose_mix"]
    assert [mix[k] for k in ("company", "growth", "both", "at_aim", "spread")] == [None] * 5
    if data["change"] is not None:
        change = data["change"]
        assert all(v is None for v in change["median_deltas"].values())
        assert [change[k] for k in ("commitments_total", "commitments_kept",
                                    "commitments_not_kept", "commitments_not_sure",
                                    "dormant_reconnected")] == [None] * 5


def test_a_cohort_of_eight_shows_its_common_gaps(program: Program) -> None:
    """With 8 maps, gaps that 3 to 5 people have are shown, and those nobody or all have."""
    def person(index: int) -> NetworkMap:
        # index < 4: mostly company (resilience deficit); nobody has a personal contact
        growth = 1 if index < 4 else 5
        return build_map([
            contact(f"c{i}", purpose="growth" if i < growth else "company",
                    origin="profession")
            for i in range(6)
        ])

    maps = {f"p{i}": person(i) for i in range(8)}
    group = analyze_session(maps, program, AS_OF, invited=8, opened=8, drafted=8)
    shown = {g.id: g.count for g in group.gap_prevalence if g.count is not None}
    assert shown.get("resilience_deficit") == 4
    assert shown.get("no_personal_life") == 8
    assert len(shown) >= 3
    # ranked: most common first, the suppressed after them
    counts = [g.count for g in group.gap_prevalence]
    visible = [c for c in counts if c is not None]
    assert counts[: len(visible)] == sorted(visible, reverse=True)



def committed(ticks_per_person: list[list[bool | None]], program: Program,
              unsuppressed: bool = False) -> GroupAnalysis:
    """Participants whose previous maps made one commitment per tick, ticked so."""
    def with_commitments(count: int) -> NetworkMap:
        return build_map([contact(f"c{i}") for i in range(4)],
                         commitments=[{"text": f"Zq promise {i}", "contact": None}
                                      for i in range(count)])

    previous = {f"p{i}": with_commitments(len(t)) for i, t in enumerate(ticks_per_person)}
    current = {pid: with_commitments(0) for pid in previous}
    reviews = {f"p{i}": ticks for i, ticks in enumerate(ticks_per_person)}
    return analyze_session(current, program, AS_OF, invited=len(current),
                           opened=len(current), drafted=0, previous=previous,
                           previous_as_of=BEFORE, reviews=reviews, unsuppressed=unsuppressed)


def test_one_persons_commitments_are_not_a_group_figure(program: Program) -> None:
    """Three not kept of three is "all", but all three are one person's."""
    group = committed([[False, False, False], [], []], program)
    assert group.change is not None
    assert group.change.commitments_total == 3
    assert (group.change.commitments_kept, group.change.commitments_not_kept,
            group.change.commitments_not_sure) == (None, None, None)
    copy = committed([[False, False, False], [], []], program, unsuppressed=True)
    assert copy.change is not None and copy.change.commitments_not_kept == 3


def test_the_total_does_not_give_a_hidden_tally_away(program: Program) -> None:
    """9 kept and 8 not kept of 18 would leave 1 not sure: shown by subtraction."""
    ticks: list[list[bool | None]] = [[True] * 3] * 3 + [
        [False] * 3, [False, False, None], [False, False, False]]
    group = committed(ticks, program)
    change = group.change
    assert change is not None and change.commitments_total == 18
    tallies = [change.commitments_kept, change.commitments_not_kept,
               change.commitments_not_sure]
    assert change.commitments_not_sure is None
    assert tallies.count(None) >= 2, tallies
    assert change.commitments_kept == 9  # the larger one stays


@SETTINGS
@given(cohort=cohorts())
def test_commitment_tallies_are_about_three_people_or_more(
    program: Program, cohort: dict[str, Any]
) -> None:
    group = analyse(cohort, program)
    change = group.change
    if change is None or change.commitments_total is None:
        return
    tallies = [change.commitments_kept, change.commitments_not_kept,
               change.commitments_not_sure]
    assert tallies.count(None) != 1, tallies  # total minus two shown would be the third
    summaries = [s for s in change.per_participant.values() if s.commitments_total]
    for shown, answer in zip(tallies, ("kept", "not_kept", "not_sure"), strict=True):
        if shown is None:
            continue
        people = sum(bool(getattr(s, f"commitments_{answer}")) for s in summaries)
        assert count_shown(people, len(summaries)), (answer, people, len(summaries))


def test_a_hidden_gap_ranks_above_one_nobody_has(program: Program) -> None:
    """Seven of eight with a resilience deficit is hidden, but it is no rarer than none of eight.

    A hidden count is 1, 2, n - 2 or n - 1, never 0 (0 is always shown), so
    ranking it above the gaps nobody has reveals nothing more than hiding it.
    """
    def person(index: int) -> NetworkMap:
        growth = 1 if index < 7 else 5  # seven of eight mostly for the company
        return build_map([
            contact(f"c{i}", purpose="growth" if i < growth else "company", origin="profession")
            for i in range(6)
        ])

    group = analyze_session({f"p{i}": person(i) for i in range(8)}, program, AS_OF,
                            invited=8, opened=8, drafted=8)
    order = [g.id for g in group.gap_prevalence]
    counts = {g.id: g.count for g in group.gap_prevalence}
    assert counts["resilience_deficit"] is None
    zeros = [gap_id for gap_id, count in counts.items() if count == 0]
    assert zeros
    assert all(order.index("resilience_deficit") < order.index(z) for z in zeros)
    # still: shown and present first, most common first
    present = [counts[i] for i in order if counts[i]]
    assert order[: len(present)] == [i for i in order if counts[i]]
    assert present == sorted(present, reverse=True)
