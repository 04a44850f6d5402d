from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from app.analysis import NetworkMap, Program, analyze_session
from app.analysis.disclosure import distribution, quantile
from app.reports.rendering.formatting import texts
from tests.analysis.analysis_support import build_map, contact, healthy_contacts
from tests.analysis.test_analysis_gaps import any_size
from tests.texts import EN

AS_OF = date(2025, 4, 14)
BEFORE = date(2025, 3, 10)


def labelled_map(pid: str, n: int, growth: int, **fields: Any) -> NetworkMap:
    """A map whose labels are unique, recognisable strings (to hunt for in JSON)."""
    contacts = [
        contact(
            f"{pid}-c{i}",
            label=f"Label{pid}x{i}",
            purpose="growth" if i < growth else "company",
            **fields,
        )
        for i in range(n)
    ]
    commitments = [{"text": f"Call Label{pid}x0", "contact": f"{pid}-c0"}]
    return build_map(contacts, commitments=commitments)


def test_quantiles_by_hand() -> None:
    values = [1.0, 2.0, 3.0, 4.0]
    assert quantile(values, 0.25) == pytest.approx(1.75)
    assert quantile(values, 0.5) == pytest.approx(2.5)
    assert quantile(values, 0.75) == pytest.approx(3.25)
    # Winsorised at one value each end: [2, 2, 3, 3], so neither 1 nor 4 shows.
    dist = distribution([4.0, 1.0, 3.0, 2.0], 3)
    assert dist is not None
    assert (dist.n, dist.p10, dist.q1, dist.median, dist.q3, dist.p90) == (
        4,
        2.0,
        2.0,
        2.5,
        3.0,
        3.0,
    )
    assert distribution([1.0, 2.0], 3) is None
    assert "min" not in dist.to_json() and "max" not in dist.to_json()


def test_session_figures(program: Program) -> None:
    maps = {
        "p1": labelled_map("p1", 4, growth=1),
        "p2": labelled_map("p2", 4, growth=2),
        "p3": labelled_map("p3", 4, growth=3),
        "p4": labelled_map("p4", 4, growth=4),
    }
    # Four-contact maps, judged in full (not as "map too small") for this test.
    group = analyze_session(maps, any_size(program), AS_OF, invited=6, opened=5, drafted=4)
    assert group.participation.to_json() == {
        "invited": 6,
        "opened": 5,
        "drafted": 4,
        "submitted": 4,
    }
    assert not group.suppressed
    growth = group.distributions["growth_share"]
    assert growth is not None
    # 0.25, 0.5, 0.75, 1 winsorised to 0.5, 0.5, 0.75, 0.75
    assert (growth.p10, growth.q1, growth.median, growth.q3, growth.p90) == pytest.approx(
        (0.5, 0.5, 0.625, 0.75, 0.75)
    )
    assert "blau.function" in group.distributions and "roles.mentor" in group.distributions
    # growth shares 0.25, 0.5, 0.75, 1: only p1 is below 0.4, one participant -> suppressed
    prevalence = {item.id: item for item in group.gap_prevalence}
    assert prevalence["resilience_deficit"].count is None
    assert prevalence["resilience_deficit"].share is None
    # nobody has a personal contact: 4 of 4
    assert prevalence["no_personal_life"].count == 4
    assert prevalence["no_personal_life"].share == 1.0
    counts = [item.count for item in group.gap_prevalence]
    shown = [c for c in counts if c is not None]
    assert shown == sorted(shown, reverse=True)
    # present ones first, then the suppressed (never 0), then those nobody has
    present = [c for c in shown if c]
    hidden = counts.count(None)
    assert counts == present + [None] * hidden + [0] * (len(shown) - len(present))
    mix = group.purpose_mix
    assert mix.maps == 4
    # Per person: medians of 1/4, 2/4, 3/4, 4/4 and of 3/4, 2/4, 1/4, 0.
    assert mix.growth == pytest.approx(0.625) and mix.company == pytest.approx(0.375)
    assert mix.both == 0.0
    assert mix.aim == program.thresholds.min_growth_share
    # three of four reach the aim of 0.4: the one below would be singled out
    assert mix.at_aim is None
    assert group.change is None


def test_small_session_is_suppressed(program: Program) -> None:
    maps = {"p1": labelled_map("p1", 3, 1), "p2": labelled_map("p2", 3, 2)}
    group = analyze_session(maps, program, AS_OF, invited=10, opened=3, drafted=2)
    assert group.suppressed
    assert all(dist is None for dist in group.distributions.values())
    assert all(item.count is None and item.share is None for item in group.gap_prevalence)
    assert group.purpose_mix.at_aim is None and group.purpose_mix.growth is None
    data = group.to_json(EN)
    assert data["participation"]["submitted"] == 2
    assert data["suppressed"] is True


def test_empty_session(program: Program) -> None:
    group = analyze_session({}, program, AS_OF, invited=0, opened=0, drafted=0)
    assert group.suppressed and group.participation.submitted == 0
    json.dumps(group.to_json(EN))


def test_no_label_anywhere_in_group_json(program: Program) -> None:
    current = {f"p{i}": labelled_map(f"p{i}", 5, growth=i % 5) for i in range(5)}
    previous = {f"p{i}": labelled_map(f"p{i}", 4, growth=1) for i in range(5)}
    group = analyze_session(
        current,
        program,
        AS_OF,
        invited=5,
        opened=5,
        drafted=5,
        previous=previous,
        previous_as_of=BEFORE,
    )
    labels = [c.label for m in [*current.values(), *previous.values()] for c in m.contacts]
    for lang in ("en", "it"):
        for include in (False, True):
            text = json.dumps(group.to_json(texts(lang), include_per_participant=include))
            assert not [label for label in labels if label in text]
            assert "Call " not in text  # commitment texts stay out too
    assert "Label" in str(group.analyses["p0"].to_json(EN))  # but the data was there


def test_group_json_is_finite(program: Program, assert_all_finite: Any) -> None:
    maps = {f"p{i}": build_map(healthy_contacts()[: i + 1]) for i in range(4)}
    maps["empty"] = NetworkMap()
    group = analyze_session(
        maps, program, AS_OF, invited=5, opened=5, drafted=5, previous=maps, previous_as_of=BEFORE
    )
    assert_all_finite(group.to_json(EN, include_per_participant=True))


def test_change_since_previous_session(program: Program) -> None:
    def pair(pid: str, kept: bool) -> tuple[NetworkMap, NetworkMap]:
        previous = build_map(
            [contact("a", last_contact="2024-01"), contact("b", last_contact="2025-02")],
            commitments=[{"text": "See a", "contact": "a"}, {"text": "Plan"}],
        )
        current = build_map(
            [
                contact("a", last_contact="2025-04" if kept else "2024-01"),
                contact("b", last_contact="2025-02"),
                contact("c"),
            ]
        )
        return previous, current

    previous: dict[str, NetworkMap] = {}
    current: dict[str, NetworkMap] = {}
    for pid, kept in [("p1", True), ("p2", True), ("p3", False), ("p4", True)]:
        previous[pid], current[pid] = pair(pid, kept)
    current["newcomer"] = build_map([contact("z")])
    group = analyze_session(
        current,
        program,
        AS_OF,
        invited=5,
        opened=5,
        drafted=5,
        previous=previous,
        previous_as_of=BEFORE,
    )
    change = group.change
    assert change is not None
    assert change.compared == 4
    # Nothing ticked: all 8 commitments (with or without a contact) are "not sure";
    # the dates that moved for three of them do not make them kept.
    assert change.commitments_total == 8
    assert (change.commitments_kept, change.commitments_not_kept) == (0, 0)
    assert change.commitments_not_sure == 8
    # 3 of the 4 compared reconnected a tie: the fourth would be singled out
    assert change.dormant_reconnected is None
    assert change.median_deltas["size"] == 1.0
    assert set(change.per_participant) == {"p1", "p2", "p3", "p4"}
    assert change.per_participant["p3"].reconnected == []
    data = group.to_json(EN)["change"]
    assert "per_participant" not in data
    assert data["commitments_not_sure"] == 8

    ticked = {"p1": [True, True], "p2": [True, False], "p3": [False, None], "p4": [True, True]}
    reviewed = analyze_session(
        current, program, AS_OF, invited=5, opened=5, drafted=5,
        previous=previous, previous_as_of=BEFORE, reviews=ticked,
    ).change
    assert reviewed is not None
    # 5 of 8 kept, and 3 not, but p3 alone kept none: the 5 would single p3 out
    assert reviewed.commitments_kept is None
    assert reviewed.commitments_not_kept is None  # 2 of 8: suppressed
    assert reviewed.commitments_not_sure is None  # 1 of 8: suppressed


def test_change_suppressed_below_three_compared(program: Program) -> None:
    maps = {f"p{i}": build_map([contact("a")]) for i in range(4)}
    previous = {"p0": maps["p0"], "p1": maps["p1"]}
    group = analyze_session(
        maps,
        program,
        AS_OF,
        invited=4,
        opened=4,
        drafted=4,
        previous=previous,
        previous_as_of=BEFORE,
    )
    assert group.change is not None
    assert group.change.compared == 2
    assert group.change.suppressed
    assert all(value is None for value in group.change.median_deltas.values())
    assert group.change.dormant_reconnected is None


def test_arguments_are_checked(program: Program) -> None:
    with pytest.raises(ValueError, match="previous_as_of"):
        analyze_session({}, program, AS_OF, invited=0, opened=0, drafted=0, previous={})
    with pytest.raises(ValueError, match="min_group"):
        analyze_session({}, program, AS_OF, invited=0, opened=0, drafted=0, min_group=0)
