from __future__ import annotations

from typing import Any

import pytest

from app.analysis import MapValidationError, NetworkMap, Program, empty_map, parse_map
from tests.analysis.analysis_support import DESIGN_EXAMPLE


def errors_of(data: Any, program: Program | None = None, *, draft: bool = False) -> list[str]:
    with pytest.raises(MapValidationError) as caught:
        parse_map(data, program, draft=draft)
    assert str(caught.value) == "; ".join(caught.value.errors)
    return caught.value.errors


def test_design_example_round_trips(program: Program) -> None:
    parsed = parse_map(DESIGN_EXAMPLE, program)
    assert parsed.warnings == []
    assert parsed.map.to_json() == DESIGN_EXAMPLE
    assert parsed.map.contact("a") is not None
    assert parsed.map.contact("zz") is None


def test_empty_map_is_valid(program: Program) -> None:
    assert empty_map() == NetworkMap()
    assert parse_map({}, program).map == empty_map()
    assert parse_map({"contacts": [], "ties": [], "commitments": []}).map.contacts == []


def test_every_offending_field_is_named(program: Program, make_contact: Any) -> None:
    data = {
        "contacts": [
            make_contact("a"),
            make_contact("b", label="x" * 41),
            make_contact("a"),
            make_contact("d", closeness=7),
            make_contact("e", purpose="fun", roles=["mentor", "guru"], last_contact="2025-13"),
            make_contact("f", email="f@example.com", i_helped="yes", closeness=True),
        ],
        "ties": [["a", "zz"], ["a"]],
        "commitments": [{"text": "Call Q", "contact": "q"}, {"text": ""}],
    }
    errors = errors_of(data, program)
    expected = [
        "contacts[1].label: at most 40 characters, got 41",
        "contacts[2].id: duplicate id 'a' (also contacts[0])",
        "contacts[3].closeness: must be between 1 and 5",
        "contacts[4].purpose: 'fun' is not one of company, growth, both",
        "contacts[4].roles[1]: 'guru' is not one of",
        "contacts[4].last_contact: must be a month written YYYY-MM",
        "contacts[5].email: unknown field",
        "contacts[5].i_helped: must be true or false",
        "contacts[5].closeness: must be a whole number between 1 and 5",
        "ties[0]: unknown contact id 'zz'",
        "ties[1]: must be a pair of contact ids",
        "commitments[0].contact: unknown contact id 'q'",
        "commitments[1].text: must not be empty",
    ]
    for fragment in expected:
        assert any(fragment in error for error in errors), (fragment, errors)
    assert len(errors) == len(expected)


def test_limits(make_contact: Any) -> None:
    too_many = {"contacts": [make_contact(f"c{i}") for i in range(251)]}
    assert "contacts: at most 250 contacts, got 251" in errors_of(too_many)
    ok = {"contacts": [make_contact(f"c{i}") for i in range(250)]}
    assert len(parse_map(ok).map.contacts) == 250
    commitments = {
        "contacts": [make_contact("a")],
        "commitments": [{"text": f"Plan {i}"} for i in range(4)],
    }
    assert "commitments: at most 3, got 4" in errors_of(commitments)


def test_program_limits_apply(program: Program, make_contact: Any) -> None:
    tight = program.model_copy(
        update={
            "exercise": program.exercise.model_copy(
                update={"limits": program.exercise.limits.model_copy(update={"max_label": 5})}
            )
        }
    )
    errors = errors_of({"contacts": [make_contact("a", label="Longer")]}, tight)
    assert errors == ["contacts[0].label: at most 5 characters, got 6"]


def test_self_and_duplicate_ties_dropped_with_warning(make_contact: Any) -> None:
    data = {
        "contacts": [make_contact("a"), make_contact("b"), make_contact("c")],
        "ties": [["a", "b"], ["b", "a"], ["c", "c"], ["a", "c"], ["a", "b"]],
    }
    parsed = parse_map(data)
    assert parsed.map.ties == [("a", "b"), ("a", "c")]
    assert parsed.warnings == [
        "ties[1]: duplicate of ties[0] dropped",
        "ties[2]: self-tie on 'c' dropped",
        "ties[4]: duplicate of ties[0] dropped",
    ]


def test_unknown_tie_ids_are_all_named(make_contact: Any) -> None:
    errors = errors_of({"contacts": [make_contact("a")], "ties": [["x", "y"]]})
    assert errors == ["ties[0]: unknown contact id 'x' and 'y'"]


def test_draft_may_be_incomplete_but_submission_may_not(program: Program) -> None:
    draft = {"contacts": [{"id": "a", "label": "M.R."}]}
    parsed = parse_map(draft, program, draft=True)
    contact = parsed.map.contacts[0]
    assert contact.purpose is None and contact.closeness is None and contact.roles == []
    assert contact.i_helped is False
    errors = errors_of(draft, program)
    assert errors == [
        "contacts[0].purpose: required before submitting",
        "contacts[0].origin: required before submitting",
        "contacts[0].organization: required before submitting",
        "contacts[0].closeness: required before submitting",
        "contacts[0].last_contact: required before submitting",
    ]


def test_required_text_fields(program: Program) -> None:
    errors = errors_of({"contacts": [{"label": "  "}]}, program)
    assert errors[:2] == ["contacts[0].id: required", "contacts[0].label: must not be empty"]


@pytest.mark.parametrize("label", [None, "", "   "])
def test_a_draft_keeps_a_card_without_a_nickname(program: Program, label: str | None) -> None:
    card = {"id": "a", "label": label, "function": "Finance", "closeness": 3}
    parsed = parse_map({"contacts": [card], "ties": []}, program, draft=True).map
    assert parsed.contacts[0].label == "" and parsed.contacts[0].function == "Finance"
    # Submitting asks for it.
    assert "contacts[0].label: " in " ".join(errors_of({"contacts": [card]}, program))


@pytest.mark.parametrize(
    ("month", "accepted"),
    [("1950-01", True), ("2026-11", True), ("2026-12", True), ("1949-12", False),
     ("0000-01", False), ("2027-01", False), ("2099-01", False)],
)
def test_last_contact_lies_between_1950_and_the_session_month(
    make_contact: Any, month: str, accepted: bool
) -> None:
    data = {"contacts": [make_contact("a", last_contact=month)]}
    try:
        parse_map(data, draft=True, latest_month="2026-12")
    except MapValidationError as exc:
        assert not accepted
        assert exc.errors == [
            "contacts[0].last_contact: must be between 1950-01 and 2026-12"
        ]
    else:
        assert accepted


def test_without_program_any_id_like_option_is_accepted(make_contact: Any) -> None:
    parsed = parse_map({"contacts": [make_contact("a", purpose="custom_purpose")]})
    assert parsed.map.contacts[0].purpose == "custom_purpose"
    assert (
        "not a valid option id" in errors_of({"contacts": [make_contact("a", purpose="Bad!")]})[0]
    )


def test_free_text_is_trimmed_and_blank_is_none(make_contact: Any) -> None:
    parsed = parse_map({"contacts": [make_contact("a", function="  Finance ", industry="  ")]})
    assert parsed.map.contacts[0].function == "Finance"
    assert parsed.map.contacts[0].industry is None


def test_repeated_roles_collapse(make_contact: Any) -> None:
    parsed = parse_map({"contacts": [make_contact("a", roles=["peer", "peer", "mentor"])]})
    assert parsed.map.contacts[0].roles == ["peer", "mentor"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "map: must be a JSON object"),
        ({"contacts": {}}, "contacts: must be a list"),
        ({"contacts": ["a"]}, "contacts[0]: must be an object"),
        ({"ties": "a-b"}, "ties: must be a list"),
        ({"commitments": ["x"]}, "commitments[0]: must be an object"),
        ({"extra": 1}, "extra: unknown field"),
    ],
)
def test_shape_errors(data: Any, message: str) -> None:
    assert any(error.startswith(message) for error in errors_of(data))


def test_month_must_be_real(make_contact: Any) -> None:
    for bad in ("2025-00", "2025-1", "25-01", "2025-01-01"):
        assert "last_contact" in errors_of({"contacts": [make_contact("a", last_contact=bad)]})[0]
    parsed = parse_map({"contacts": [make_contact("a", last_contact="")]}, draft=True)
    assert parsed.map.contacts[0].last_contact is None


@pytest.mark.parametrize("bad", ["A\x00B", "A\x1bB", "A\ud800"])
def test_control_characters_are_refused_with_the_field(bad: str) -> None:
    with pytest.raises(MapValidationError) as caught:
        parse_map({"contacts": [{"id": "a", "label": bad}]}, draft=True)
    assert "contacts[0].label: must not contain control characters" in caught.value.errors


def test_bidi_marks_emoji_and_combining_marks_are_kept() -> None:
    label = "\u202eA.B \U0001f600 e\u0301"
    parsed = parse_map({"contacts": [{"id": "a", "label": label}]}, draft=True)
    assert parsed.map.contacts[0].label == label
