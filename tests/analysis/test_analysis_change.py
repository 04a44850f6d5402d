from __future__ import annotations

from datetime import date

import pytest

from app.analysis import Program, compare_maps, review_answers
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
    # What they ticked decides; the dates only hint. "missed" was ticked kept although
    # the dates did not move, and the commitment without a contact was ticked not kept.
    change = compare_maps(previous, current, program, BEFORE, NOW, [True, True, False])
    assert [(o.contact_id, o.kept, o.in_touch) for o in change.commitments] == [
        ("met", True, True),
        ("missed", True, False),
        (None, False, None),
    ]
    assert change.commitments_kept == 2 and change.commitments_not_kept == 1
    assert change.commitments_not_sure == 0 and change.commitments_total == 3
    unanswered = compare_maps(previous, current, program, BEFORE, NOW, [False])
    assert [o.kept for o in unanswered.commitments] == [False, None, None]
    assert unanswered.commitments_not_sure == 2 and unanswered.commitments_kept == 0
    assert change.reconnected == ["old"]
    assert (change.added, change.removed) == (1, 1)
    assert change.deltas["size"] == 0.0
    assert change.deltas["dormant_count"] == -1.0  # old and still_old -> still_old
    assert change.deltas["dormant_share"] == pytest.approx(1 / 5 - 2 / 5)


def test_in_touch_hint_at_month_grain(program: Program) -> None:
    def kept(before: str | None, after: str | None, named: bool = True) -> bool | None:
        previous = build_map(
            [contact("a", last_contact=before or "2024-01")],
            commitments=[{"text": "x", "contact": "a" if named else None}],
        )
        current = build_map([contact("a", last_contact=after or "2024-01")])
        outcome = compare_maps(previous, current, program, BEFORE, NOW).commitments[0]
        assert outcome.kept is None  # nothing ticked: not sure, whatever the dates say
        return outcome.in_touch

    assert kept("2025-01", "2025-03") is True  # session month, later than before
    assert kept("2025-01", "2025-02") is False  # before the session
    assert kept("2025-03", "2025-03") is False  # no movement
    assert kept("2025-03", "2025-04") is True
    assert kept("2025-01", "2025-04", named=False) is None


def test_named_contact_removed_is_no_hint_but_the_tick_stands(program: Program) -> None:
    previous = build_map([contact("a")], commitments=[{"text": "x", "contact": "a"}])
    current = build_map([contact("b")])
    outcome = compare_maps(previous, current, program, BEFORE, NOW, [True]).commitments[0]
    assert outcome.in_touch is False and outcome.kept is True


def test_review_answers_reads_stored_ticks() -> None:
    stored = [{"text": "a", "kept": True}, {"text": "b", "kept": False}, {"text": "c"},
              {"text": "d", "kept": "yes"}]
    assert review_answers(stored) == [True, False, None, None]
    assert review_answers(None) == []


def test_change_json_forms(program: Program) -> None:
    previous = build_map(
        [contact("a", label="Secret Name", last_contact="2023-01")],
        commitments=[{"text": "Lunch with Secret Name", "contact": "a"}],
    )
    current = build_map([contact("a", label="Secret Name", last_contact="2025-04")])
    change = compare_maps(previous, current, program, BEFORE, NOW, [True])
    full = change.to_json()
    assert full["commitments"] == [
        {"text": "Lunch with Secret Name", "contact_id": "a", "kept": True, "in_touch": True}
    ]
    assert full["reconnected"] == ["a"]
    anonymous = change.to_json(anonymous=True)
    assert "Secret" not in str(anonymous)
    assert anonymous["commitments_kept"] == 1 and anonymous["reconnected"] == 1
