"""Diversity that can say "narrow": IQV over the program's categories, distinct counts,
sameness with the participant's own function and industry, and the narrow-network gap."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.analysis import Ego, MapAnalysis, Program, analyze_map, compute_metrics
from app.analysis.measures import blau_index, category_count, normalize_category
from tests.analysis.analysis_support import build_map, contact, healthy_contacts
from tests.texts import en, it

AS_OF = date(2025, 9, 15)


def narrow(analysis: MapAnalysis) -> Any:
    return next((gap for gap in analysis.gaps if gap.id == "narrow_network"), None)


def healthy_with(functions: list[str], industries: list[str]) -> list[dict[str, Any]]:
    """The ten healthy contacts, with functions and industries dealt out in turn."""
    return [
        {
            **c,
            "function": functions[i % len(functions)],
            "industry": industries[i % len(industries)],
        }
        for i, c in enumerate(healthy_contacts())
    ]


def suggested(program: Program, attribute: str) -> set[str]:
    listed = (
        program.exercise.suggestions.functions
        if attribute == "function"
        else program.exercise.suggestions.industries
    )
    return {v for v in map(normalize_category, listed) if v}


# --- the brief's two maps ---------------------------------------------------------------


def test_two_functions_and_two_industries_is_narrow(program: Program) -> None:
    m = build_map(healthy_with(["Finance", "Sales"], ["Banking", "Retail"]))
    analysis = analyze_map(m, program, AS_OF)
    metrics = analysis.metrics
    assert metrics["distinct"] == {"function": 2, "industry": 2, "origin": 5}
    # Five Finance and five Sales used to score IQV 1.0 ("perfectly diverse", k = 2).
    assert metrics["iqv"]["function"] < 0.6 and metrics["iqv"]["industry"] < 0.6
    gap = narrow(analysis)
    assert gap is not None, analysis.gap_ids()
    assert gap.evidence["reason"] == "few"
    assert gap.evidence["distinct.function"] == 2 and gap.evidence["distinct.industry"] == 2
    assert "only 2 different functions" in en(gap.next_step)
    assert "appena 2 funzioni" in it(gap.next_step)


def test_ten_functions_and_eight_industries_is_not_narrow(program: Program) -> None:
    functions = ["Finance", "Sales", "HR", "IT", "Legal", "Marketing", "Design", "Ops", "R&D", "PR"]
    industries = ["Health", "Banking", "Retail", "Energy", "Media", "Public Sector", "Food", "Law"]
    analysis = analyze_map(build_map(healthy_with(functions, industries)), program, AS_OF)
    assert analysis.metrics["distinct"]["function"] == 10
    assert analysis.metrics["distinct"]["industry"] == 8
    assert narrow(analysis) is None, narrow(analysis)
    assert analysis.gaps == []


def test_one_function_everywhere_is_narrow_and_says_so(program: Program) -> None:
    m = build_map(healthy_with(["Finance"], ["Banking", "Retail", "Health", "Energy"]))
    gap = narrow(analyze_map(m, program, AS_OF))
    assert gap is not None and gap.severity in ("medium", "high")
    assert "All your contacts work in the same function (Finance)" in en(gap.next_step)


# --- IQV's k ----------------------------------------------------------------------------


@pytest.mark.parametrize("attribute", ["function", "industry"])
def test_free_text_k_is_suggestions_plus_other_observed_values(
    program: Program, attribute: str
) -> None:
    listed = sorted(suggested(program, attribute))
    values: list[str | None] = [listed[0], listed[0].upper(), "something unlisted", None]
    k = category_count(program, attribute, [normalize_category(v) for v in values])
    assert k == len(listed) + 1


def test_origin_k_is_the_program_list(program: Program) -> None:
    assert category_count(program, "origin", ["personal"]) == len(program.option_ids("origins"))


def test_iqv_is_blau_over_its_bound_with_the_program_k(program: Program) -> None:
    contacts = [contact(f"c{i}", function=f) for i, f in enumerate(["Finance", "Sales", "Sales"])]
    metrics = compute_metrics(build_map(contacts), program, AS_OF)
    k = len(suggested(program, "function"))  # Finance and Sales are both suggested
    blau = blau_index(["finance", "sales", "sales"])
    assert metrics["iqv"]["function"] == pytest.approx(blau / (1 - 1 / k))


# --- sameness with the participant's own function and industry ---------------------------


def test_same_shares_count_contacts_with_a_value(program: Program) -> None:
    contacts = [
        contact("a", function="Finance", industry="Health"),
        contact("b", function=" finance", industry="Banking"),
        contact("c", function="FINANCE", industry="Banking"),
        contact("d", function="Sales", industry=None),
        contact("e", function=None, industry=None),
    ]
    ego = Ego(function="Finance ", industry="banking")
    metrics = compute_metrics(build_map(contacts), program, AS_OF, ego=ego)
    assert metrics["same_function_share"] == pytest.approx(3 / 4)
    assert metrics["same_industry_share"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("ego", [None, Ego(), Ego(function="  ", industry=None)])
def test_same_shares_are_absent_when_the_participant_is_unknown(
    program: Program, ego: Ego | None
) -> None:
    metrics = compute_metrics(build_map(healthy_contacts()), program, AS_OF, ego=ego)
    assert "same_function_share" not in metrics and "same_industry_share" not in metrics


def test_same_share_is_zero_when_no_contact_has_a_value(program: Program) -> None:
    contacts = [contact("a", function=None), contact("b", function=None)]
    metrics = compute_metrics(build_map(contacts), program, AS_OF, ego=Ego(function="Finance"))
    assert metrics["same_function_share"] == 0.0
    assert "same_industry_share" not in metrics


def test_diverse_map_is_narrow_when_most_share_your_function(program: Program) -> None:
    functions = ["Finance"] * 7 + ["Sales", "Legal", "IT"]
    industries = ["Health", "Banking", "Retail", "Energy", "Media"]
    contacts = [
        {**c, "function": functions[i], "industry": industries[i % 5]}
        for i, c in enumerate(healthy_contacts())
    ]
    m = build_map(contacts)
    assert narrow(analyze_map(m, program, AS_OF)) is None  # without the roster: no verdict
    assert narrow(analyze_map(m, program, AS_OF, Ego(function="Sales"))) is None
    gap = narrow(analyze_map(m, program, AS_OF, Ego(function="finance", industry="Law")))
    assert gap is not None
    assert gap.evidence["reason"] == "same"
    assert gap.evidence["same_function_share"] == pytest.approx(0.7)
    assert gap.evidence["same_industry_share"] == 0.0
    assert "70% work in your own function (finance)" in en(gap.next_step)
    assert "la tua stessa funzione" in it(gap.next_step)
    by_id = {c["id"]: c for c in contacts}
    assert gap.contacts and all(by_id[cid]["function"] != "Finance" for cid in gap.contacts)


def test_sameness_threshold_comes_from_the_program(program: Program) -> None:
    contacts = [
        {**c, "function": "Finance" if i < 5 else c["function"]}
        for i, c in enumerate(healthy_contacts())
    ]
    m = build_map(contacts)
    ego = Ego(function="Finance")
    assert narrow(analyze_map(m, program, AS_OF, ego)) is None  # 50% <= 60%
    strict = program.model_copy(
        update={"thresholds": program.thresholds.model_copy(update={"max_same_share": 0.4})}
    )
    assert narrow(analyze_map(m, strict, AS_OF, ego)) is not None


def test_narrow_gap_never_names_a_draining_bridge(program: Program) -> None:
    contacts = [
        {
            **c,
            "function": "Finance" if i < 8 else "Design",
            "qualities": ["drains"] if i == 8 else c["qualities"],
        }
        for i, c in enumerate(healthy_contacts())
    ]
    gap = narrow(analyze_map(build_map(contacts), program, AS_OF, Ego(function="Finance")))
    assert gap is not None
    assert "h8" not in gap.contacts and gap.contacts == ["h9"]
