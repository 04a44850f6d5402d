from __future__ import annotations

from datetime import date

import pytest

from app.analysis import Program, compare_maps
from tests.analysis.analysis_support import build_map, contact

BEFORE = date(2025, 3, 10)
NOW = date(2025, 4, 14)


def test_commitments_kept_reconnected_added_removed(program: Program) -> None:
    previous = build_map(
        [
            contact("met", last_contact="2025-01"),
            contact("missed", last_contact="2025-01"),
            contact("gone", last_contact="2025-02"),
            contact("old", last_contact="2023-05"),
            contact("still_old", last_contact="2023-05"),
        ],
        commitments=[
            {"text": "Coffee with met", "contact": "met"},
            {"text": "Call missed", "contact": "missed"},
            {"text": "Read a book"},
        ],
    )
    current = build_map(
        [
            contact("met", last_contact="2025-04"),
            contact("missed", last_contact="2025-01"),
            contact("old", last_contact="2025-03"),
            contact("still_old", last_contact="2023-05"),
            contact("new", last_contact="2025-04"),
        ]
    )
    change = compare_maps(previous, current, program, BEFORE, NOW)
    assert [(o.contact_id, o.kept) for o in change.commitments] == [
        ("met", True),
        ("missed", False),
        (None, None),
    ]
    assert change.commitments_kept == 1 and change.commitments_checked == 2
    assert change.reconnected == ["old"]
    assert (change.added, change.removed) == (1, 1)
    assert change.deltas["size"] == 0.0
    assert change.deltas["dormant_count"] == -1.0  # old and still_old -> still_old
    assert change.deltas["dormant_share"] == pytest.approx(1 / 5 - 2 / 5)


def test_commitment_rules_at_month_grain(program: Program) -> None:
    def kept(before: str | None, after: str | None, named: bool = True) -> bool | None:
        previous = build_map(
            [contact("a", last_contact=before or "2024-01")],
            commitments=[{"text": "x", "contact": "a" if named else None}],
        )
        current = build_map([contact("a", last_contact=after or "2024-01")])
        return compare_maps(previous, current, program, BEFORE, NOW).commitments[0].kept

    assert kept("2025-01", "2025-03") is True  # session month, later than before
    assert kept("2025-01", "2025-02") is False  # before the session
    assert kept("2025-03", "2025-03") is False  # no movement
    assert kept("2025-03", "2025-04") is True
    assert kept("2025-01", "2025-04", named=False) is None


def test_named_contact_removed_is_not_kept(program: Program) -> None:
    previous = build_map([contact("a")], commitments=[{"text": "x", "contact": "a"}])
    current = build_map([contact("b")])
    outcome = compare_maps(previous, current, program, BEFORE, NOW).commitments[0]
    assert outcome.kept is False


def test_change_json_forms(program: Program) -> None:
    previous = build_map(
        [contact("a", label="Secret Name", last_contact="2023-01")],
        commitments=[{"text": "Lunch with Secret Name", "contact": "a"}],
    )
    current = build_map([contact("a", label="Secret Name", last_contact="2025-04")])
    change = compare_maps(previous, current, program, BEFORE, NOW)
    full = change.to_json()
    assert full["commitments"] == [
        {"text": "Lunch with Secret Name", "contact_id": "a", "kept": True}
    ]
    assert full["reconnected"] == ["a"]
    anonymous = change.to_json(anonymous=True)
    assert "Secret" not in str(anonymous)
    assert anonymous["commitments_kept"] == 1 and anonymous["reconnected"] == 1
