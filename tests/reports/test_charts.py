"""The SVG charts and the sociogram, without rendering a PDF."""

from __future__ import annotations

import re

from app.reports.rendering import charts
from app.reports.rendering.charts import Bar, Box, Segment
from app.reports.rendering.sociogram import COMPACT_ABOVE, Node, layout, sociogram_svg
from app.reports.rendering.svg import shorten_middle, truncate


def nodes(count: int) -> list[Node]:
    purposes = ["company", "growth", "both", None]
    return [
        Node(f"c{i}", f"<b>L{i}</b>", purposes[i % 4], (i % 5) + 1, dormant=i % 3 == 0)
        for i in range(count)
    ]


def test_sociogram_is_deterministic_and_escaped() -> None:
    ties = [("c0", "c1"), ("c1", "c2"), ("c3", "c4"), ("c0", "c0"), ("c0", "zz")]
    first = sociogram_svg(nodes(12), ties, ego_label="You", title="Map")
    assert first == sociogram_svg(nodes(12), ties, ego_label="You", title="Map")
    assert "<b>" not in first and "&lt;b&gt;L3&lt;/b&gt;" in first
    assert first.count("<text") == 13  # 12 labels and "You"
    assert 'fill="#fff" stroke="#4a6fa5"' in first  # dormant contacts are hollow discs


def test_closer_contacts_sit_nearer_the_centre() -> None:
    placed = {p.node.id: p for p in layout(nodes(10), [])}
    close = [p.radius for p in placed.values() if p.node.closeness == 5]
    far = [p.radius for p in placed.values() if p.node.closeness == 1]
    assert max(close) < min(far)


def test_big_maps_label_only_the_closest_and_the_dormant() -> None:
    many = nodes(120)
    svg = sociogram_svg(many, [], ego_label="You", title="Map", note="Only some labels")
    named = [n for n in many if n.closeness == 5 or n.dormant]
    assert len(many) > COMPACT_ABOVE and 0 < len(named) < len(many)
    assert svg.count("<text") == len(named) + 2  # and "You" and the note
    assert "Only some labels" in svg


def test_empty_map_still_draws_the_participant() -> None:
    svg = sociogram_svg([], [], ego_label="You", title="Map")
    assert svg.count("<text") == 1 and "<path" in svg


def test_charts_escape_labels_and_survive_zero_totals() -> None:
    bar = charts.bar_list([Bar("<i>x</i>", 0), Bar("y", None, note="hidden")], title="t",
                          scale_max=0, fmt=str)
    assert "<i>" not in bar and "&lt;i&gt;" in bar and "hidden" in bar
    assert "<svg" in charts.balance_bar([Segment("a", 0, "#000")], title="t", fmt=str)
    assert "<svg" in charts.stacked_row([], title="t", width=100)
    boxes = charts.box_plots([Box("m", 3, 0, 0.2, 0.5, 0.7, 1), ("s", "not shown")], title="t",
                             low=0, high=1, fmt=str, ticks=[0, 1])
    assert "not shown" in boxes


def test_numbers_stay_compact() -> None:
    svg = charts.balance_bar([Segment("a", 1, "#000"), Segment("b", 2, "#fff")], title="t",
                             fmt=lambda v: f"{v:.0%}")
    assert not re.search(r"\d\.\d{2,}", svg)


def test_truncation() -> None:
    assert truncate("abcdef", 4) == "abc…"
    assert shorten_middle("Anna from the book club", 12) == "Anna fr…club"
    assert shorten_middle("short", 12) == "short"
