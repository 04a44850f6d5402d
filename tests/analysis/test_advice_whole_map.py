"""Next steps about a whole map say so ("all 8", "any of your 8"), never "8 of your
contacts" when there are 8; a list of a few names among many says "among them"."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.analysis import Program, analyze_map
from tests.analysis.analysis_support import build_map, contact
from tests.texts import en, it

AS_OF = date(2025, 9, 15)


def _next_step(program: Program, contacts: list[dict[str, object]], gap_id: str) -> str:
    # Every map judged in full, so that a one-contact map gets these gaps too.
    judged = program.model_copy(
        update={"thresholds": program.thresholds.model_copy(update={"min_map_size": 1})})
    analysis = analyze_map(build_map(contacts), judged, AS_OF)
    gap = next(gap for gap in analysis.gaps if gap.id == gap_id)
    italian = it(gap.next_step)
    assert "your" not in italian  # translated, not the English fallback
    return en(gap.next_step) + "\n" + italian


@pytest.mark.parametrize("size", [1, 8])
def test_every_contact_dormant(program: Program, size: int) -> None:
    contacts = [contact(f"c{i}", last_contact="2023-01") for i in range(size)]
    text = _next_step(program, contacts, "dormant_ties")
    assert f"{size} of your contacts" not in text
    assert f"{size} dei tuoi contatti" not in text
    if size > 1:
        assert f"any of your {size} contacts" in text


@pytest.mark.parametrize("size", [1, 8])
def test_every_contact_drains(program: Program, size: int) -> None:
    contacts = [contact(f"c{i}", qualities=["drains"]) for i in range(size)]
    text = _next_step(program, contacts, "draining_ties")
    assert not re.search(rf"(?<!All ){size} of your contacts", text)
    assert f"{size} dei tuoi contatti" not in text
    if size > 1:
        assert f"All {size} of your contacts" in text


def test_a_few_named_among_many_drainers(program: Program) -> None:
    contacts = [contact(f"d{i}", qualities=["drains"]) for i in range(5)]
    contacts += [contact(f"e{i}") for i in range(5)]
    text = _next_step(program, contacts, "draining_ties")
    assert "leave you drained (among them " in text
    assert "(tra cui " in text
