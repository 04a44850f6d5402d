"""The closed-network gap says how closed the map really is, in the report's own
plain words: never "many know each other" when few do, never "density" or
"constraint", which the report explains nowhere."""

from __future__ import annotations

from datetime import date

import pytest

from app.analysis import Program, analyze_map
from tests.analysis.analysis_support import build_map, contact
from tests.texts import en, it

AS_OF = date(2025, 9, 15)
JARGON = ("density", "constraint", "densità", "vincolo")


def _closed(program: Program, size: int, ties: list[tuple[str, str]]) -> tuple[str, str]:
    contacts = [contact(f"c{i}") for i in range(size)]
    gap = next(g for g in analyze_map(build_map(contacts, ties), program, AS_OF).gaps
               if g.id == "closed_network")
    return en(gap.title) + " " + en(gap.next_step), it(gap.title) + " " + it(gap.next_step)


def test_few_ties_but_a_small_circle_is_not_many_who_know_each_other(program: Program) -> None:
    # Six contacts, two triangles: 6 of 15 pairs (40%) know each other, under the
    # density aim, yet the circle is closed (constraint above its aim).
    ties = [("c0", "c1"), ("c1", "c2"), ("c0", "c2"), ("c3", "c4"), ("c4", "c5"), ("c3", "c5")]
    english, italian = _closed(program, 6, ties)
    assert "many of your contacts know each other" not in english.casefold()
    assert "molti dei tuoi contatti" not in italian.casefold()
    assert not any(word in english + italian for word in JARGON)


@pytest.mark.parametrize("size", [5, 8])
def test_everyone_knows_everyone_says_so(program: Program, size: int) -> None:
    ids = [f"c{i}" for i in range(size)]
    ties = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    english, italian = _closed(program, size, ties)
    assert "All your contacts know one another" in english
    assert "Tutti i tuoi contatti si conoscono" in italian
    assert not any(word in english + italian for word in JARGON)


def test_a_dense_map_gives_the_share_of_pairs(program: Program) -> None:
    ids = [f"c{i}" for i in range(6)]
    ties = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]][:10]  # 10 of 15 pairs
    english, italian = _closed(program, 6, ties)
    assert "67% of the pairs of your contacts know each other" in english
    assert "il 67% delle coppie" in italian
