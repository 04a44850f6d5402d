from __future__ import annotations

import math
from datetime import date
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analysis import (
    Contact,
    NetworkMap,
    Program,
    analyze_map,
    compute_metrics,
    default_program_path,
    flatten_metrics,
    load_program,
    parse_map,
)
from app.analysis.measures import (
    blau_index,
    density,
    distinct_ties,
    effective_size,
    ego_constraint,
    ei_index,
    iqv,
    is_dormant,
    months_since,
    normalize_category,
)
from tests.analysis.analysis_support import build_map, contact
from tests.texts import EN

AS_OF = date(2025, 9, 15)
PROGRAM = load_program(default_program_path())
EGO = "__ego__"

DESIGN_KEYS = [
    "size",
    "growth_share",
    "company_only_share",
    "roles",
    "dormant_count",
    "dormant_share",
    "blau",
    "iqv",
    "distinct",
    "ei_index",
    "density",
    "effective_size",
    "efficiency",
    "constraint",
    "helped_share",
    "helped_by_share",
    "introduced_share",
    "energizes_share",
    "challenges_share",
    "drains_share",
]


def ego_graph(m: NetworkMap) -> nx.Graph:
    graph = nx.Graph()
    graph.add_node(EGO)
    graph.add_edges_from((EGO, c.id) for c in m.contacts)
    graph.add_edges_from(distinct_ties(m))
    return graph


# --- hand-computed cases ---------------------------------------------------------


def test_blau_and_iqv_free_text_by_hand(program: Program) -> None:
    # finance x2 (after trim + casefold), hr, it: p = 1/2, 1/4, 1/4
    # Blau = 1 - (1/4 + 1/16 + 1/16) = 0.625; k = the program's 15 suggested functions
    # (Finance and IT among them) plus the unlisted "hr" = 16 -> IQV = 0.625 / (15/16) = 2/3
    m = build_map(
        [
            contact("a", function="Finance"),
            contact("b", function="  FINANCE "),
            contact("c", function="HR"),
            contact("d", function="IT"),
            contact("e", function=None),
        ]
    )
    metrics = compute_metrics(m, program, AS_OF)
    assert metrics["blau"]["function"] == pytest.approx(0.625)
    assert metrics["iqv"]["function"] == pytest.approx(2 / 3)
    assert metrics["distinct"]["function"] == 3


def test_blau_and_iqv_origin_uses_program_categories(program: Program) -> None:
    # former_job x2, personal: Blau = 1 - (4/9 + 1/9) = 4/9; k = 5 program origins
    # IQV = (4/9) / (1 - 1/5) = 5/9
    m = build_map(
        [
            contact("a", origin="former_job"),
            contact("b", origin="former_job"),
            contact("c", origin="personal"),
        ]
    )
    metrics = compute_metrics(m, program, AS_OF)
    assert metrics["blau"]["origin"] == pytest.approx(4 / 9)
    assert metrics["iqv"]["origin"] == pytest.approx(5 / 9)


def test_ei_index_by_hand(program: Program) -> None:
    # 3 outside, 1 inside, 1 unset: (3 - 1) / (3 + 1) = 0.5
    orgs = ["outside", "outside", "outside", "inside", None]
    contacts = [contact(f"c{i}", organization=o) for i, o in enumerate(orgs)]
    m = parse_map({"contacts": contacts}, draft=True).map
    assert compute_metrics(m, program, AS_OF)["ei_index"] == pytest.approx(0.5)
    assert ei_index(0, 4) == -1.0
    assert ei_index(2, 0) == 1.0
    assert ei_index(0, 0) == 0.0


def test_structure_by_hand(program: Program) -> None:
    # n = 4, t = 2: density 2/6, effective size 4 - 2*2/4 = 3, efficiency 3/4
    m = build_map([contact(c) for c in "abcd"], ties=[("a", "b"), ("c", "d")])
    metrics = compute_metrics(m, program, AS_OF)
    assert metrics["density"] == pytest.approx(1 / 3)
    assert metrics["effective_size"] == pytest.approx(3.0)
    assert metrics["efficiency"] == pytest.approx(0.75)
    # each contact j: (1/4 + 1/4 * 1/2)^2 = (3/8)^2; four of them -> 9/16
    assert metrics["constraint"] == pytest.approx(9 / 16)


def test_constraint_small_cases() -> None:
    assert ego_constraint([], []) == 0.0
    assert ego_constraint(["a"], []) == 1.0
    assert ego_constraint(["a", "b", "c", "d"], []) == pytest.approx(0.25)
    # two tied contacts: 2 * (1/2 + 1/2 * 1/2)^2 = 1.125
    assert ego_constraint(["a", "b"], [("a", "b")]) == pytest.approx(1.125)


def test_shares_by_hand(program: Program) -> None:
    m = build_map(
        [
            contact("a", purpose="growth", qualities=["energizes", "challenges"], i_helped=True),
            contact("b", purpose="both", qualities=["drains"], i_helped=False, introduced=False),
            contact(
                "c",
                purpose="company",
                qualities=[],
                i_helped=False,
                they_helped=False,
                introduced=False,
            ),
            contact("d", purpose="company", qualities=["energizes"], i_helped=False),
        ]
    )
    metrics = compute_metrics(m, program, AS_OF)
    assert metrics["growth_share"] == 0.5
    assert metrics["company_only_share"] == 0.5
    assert metrics["helped_share"] == 0.25
    assert metrics["helped_by_share"] == 0.75
    assert metrics["introduced_share"] == 0.5
    assert metrics["energizes_share"] == 0.5
    assert metrics["challenges_share"] == 0.25
    assert metrics["drains_share"] == 0.25
    assert metrics["roles"]["peer"] == 4 and metrics["roles"]["mentor"] == 0


def test_metric_keys_follow_design(program: Program) -> None:
    metrics = compute_metrics(build_map([contact("a")]), program, AS_OF)
    assert list(metrics) == DESIGN_KEYS
    assert set(metrics["blau"]) == set(metrics["iqv"]) == {"function", "industry", "origin"}
    assert list(metrics["roles"]) == program.option_ids("roles")
    flat = flatten_metrics(metrics)
    assert "blau.function" in flat and "roles.way_shower" in flat and "size" in flat
    assert all(isinstance(value, float) for value in flat.values())


# --- months and dormancy -----------------------------------------------------------


def test_month_arithmetic() -> None:
    assert months_since("2024-09", date(2025, 9, 1)) == 12
    assert months_since("2024-09", date(2025, 9, 30)) == 12
    assert months_since("2024-12", date(2025, 1, 1)) == 1
    assert months_since("2025-10", date(2025, 9, 30)) == -1


def test_dormancy_boundary() -> None:
    def dormant(last: str | None) -> bool:
        c = Contact(id="a", label="A", last_contact=last)
        return is_dormant(c, date(2025, 9, 15), 12)

    assert dormant("2024-09")  # exactly 12 months
    assert not dormant("2024-10")  # 11 months
    assert not dormant(None)  # unknown: not counted
    assert not dormant("2026-01")  # future


def test_dormant_metrics_and_future_warning(program: Program) -> None:
    m = build_map(
        [
            contact("a", last_contact="2023-01"),
            contact("b", last_contact="2024-09"),
            contact("c", last_contact="2025-09"),
            contact("d", last_contact="2026-02"),
        ]
    )
    analysis = analyze_map(m, program, AS_OF)
    assert analysis.metrics["dormant_count"] == 2
    assert analysis.metrics["dormant_share"] == 0.5
    assert analysis.warnings == ["contacts[3].last_contact: 2026-02 is after 2025-09-15"]


# --- edge cases: never NaN ---------------------------------------------------------


EDGE_MAPS: dict[str, NetworkMap] = {
    "empty": NetworkMap(),
    "one contact": build_map([contact("a")]),
    "no ties": build_map([contact(c) for c in "abcde"]),
    "everyone tied": build_map(
        [contact(c) for c in "abcde"],
        ties=[(x, y) for i, x in enumerate("abcde") for y in "abcde"[i + 1 :]],
    ),
    "one category only": build_map(
        [contact(c, function="HR", industry="Retail", origin="personal") for c in "abc"]
    ),
    "values missing": parse_map(
        {"contacts": [{"id": "a", "label": "A"}, {"id": "b", "label": "B", "function": " "}]},
        draft=True,
    ).map,
}


@pytest.mark.parametrize("name", list(EDGE_MAPS))
def test_edge_cases_are_finite(name: str, program: Program, assert_all_finite: Any) -> None:
    analysis = analyze_map(EDGE_MAPS[name], program, AS_OF)
    assert_all_finite(analysis.to_json(EN))


def test_edge_case_values(program: Program) -> None:
    empty = compute_metrics(NetworkMap(), program, AS_OF)
    assert empty["size"] == 0
    assert all(v == 0.0 for k, v in flatten_metrics(empty).items())

    one = compute_metrics(EDGE_MAPS["one contact"], program, AS_OF)
    assert (one["density"], one["effective_size"], one["efficiency"]) == (0.0, 1.0, 1.0)
    assert one["constraint"] == 1.0
    assert one["blau"]["function"] == 0.0 and one["iqv"]["function"] == 0.0

    full = compute_metrics(EDGE_MAPS["everyone tied"], program, AS_OF)
    assert full["density"] == 1.0
    assert full["effective_size"] == pytest.approx(1.0)  # n - (n - 1)

    same = compute_metrics(EDGE_MAPS["one category only"], program, AS_OF)
    assert same["blau"] == {"function": 0.0, "industry": 0.0, "origin": 0.0}
    assert same["iqv"] == {"function": 0.0, "industry": 0.0, "origin": 0.0}


def test_pure_helpers_degenerate_inputs() -> None:
    assert blau_index([]) == 0.0
    assert blau_index([None, None]) == 0.0
    assert iqv(0.5, 1) == 0.0 and iqv(0.5, 0) == 0.0
    assert density(0, 0) == density(1, 0) == 0.0
    assert effective_size(0, 0) == 0.0
    assert normalize_category("  Ünïcode ") == "ünïcode"
    assert normalize_category("   ") is None


def test_measures_ignore_bad_ties_in_unvalidated_maps(program: Program) -> None:
    raw = NetworkMap(
        contacts=[Contact(id="a", label="A"), Contact(id="b", label="B")],
        ties=[("a", "b"), ("b", "a"), ("a", "a"), ("a", "ghost")],
    )
    metrics = compute_metrics(raw, program, AS_OF)
    assert metrics["density"] == 1.0
    assert metrics["constraint"] == pytest.approx(1.125)


# --- agreement with networkx ---------------------------------------------------------


@st.composite
def random_maps(draw: st.DrawFn) -> NetworkMap:
    n = draw(st.integers(min_value=1, max_value=14))
    ids = [f"c{i}" for i in range(n)]
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    # Raw maps may repeat or reverse ties, which the measures must collapse.
    extra = draw(st.lists(st.sampled_from(chosen), max_size=3)) if chosen else []
    ties = chosen + [(b, a) for a, b in extra]
    return NetworkMap(contacts=[Contact(id=i, label=i) for i in ids], ties=ties)


@settings(max_examples=100, deadline=None)
@given(random_maps())
def test_effective_size_and_constraint_match_networkx(m: NetworkMap) -> None:
    graph = ego_graph(m)
    n = len(m.contacts)
    t = len(distinct_ties(m))
    expected_size = nx.effective_size(graph)[EGO]
    expected_constraint = nx.constraint(graph)[EGO]
    assert math.isclose(effective_size(n, t), expected_size, rel_tol=0, abs_tol=1e-9)
    assert math.isclose(
        ego_constraint([c.id for c in m.contacts], distinct_ties(m)),
        expected_constraint,
        rel_tol=0,
        abs_tol=1e-9,
    )


@settings(max_examples=40, deadline=None)
@given(random_maps())
def test_compute_metrics_matches_networkx(m: NetworkMap) -> None:
    metrics = compute_metrics(m, PROGRAM, AS_OF)
    graph = ego_graph(m)
    assert abs(metrics["constraint"] - nx.constraint(graph)[EGO]) <= 1e-9
    assert abs(metrics["effective_size"] - nx.effective_size(graph)[EGO]) <= 1e-9
    contacts_only = graph.subgraph([c.id for c in m.contacts])
    assert abs(metrics["density"] - nx.density(contacts_only)) <= 1e-12
