"""The sociogram's geometry: nothing overlaps, everything is inside, curves avoid the centre.

Checked twice: on the layout itself (cheap, exact), and on the individual report's
PDF read back with pdfplumber (what a reader actually gets: disc curves and the
word boxes of the labels on the map page).
"""

from __future__ import annotations

import io
import itertools
import math
from functools import lru_cache
from typing import Any

import pdfplumber
import pytest

from app.analysis import NetworkMap, Program, analyze_map
from app.reports.rendering.render import render_report
from app.reports.rendering.sociogram import sociogram_svg
from app.reports.rendering.sociogram_layout import (
    COMPACT_ABOVE,
    EGO_RADIUS,
    HUB_RADIUS,
    Layout,
    Node,
    clusters,
    compute_layout,
    curve_point,
)
from app.reports.rendering.sociogram_text import LABEL_MAX_WIDTH, label_lines, text_width
from tests.reports.report_support import AS_OF, individual_inputs, program_json, sample_map

SIZES = [5, 13, 30, 60, 150]
LONG_LABELS = [
    "Maria Giovanna Esposito-Castellammare", "李小龙 (老同事)", "Dr. Abdul-Rahman ibn Khalid",
    "Ωμέγα Παπαδοπούλου", "WWWWWWWWWWWWWWWWWWWWWWWW", "Anna (book club)", "😀 Zoë 🎉",
]
BACKGROUND = (0xF8 / 255, 0xF9 / 255, 0xFB / 255)  # the figure's panel, sociogram.BACKGROUND
INK = (0x26 / 255, 0x33 / 255, 0x4D / 255)
SECTOR_FILL = (0xEA / 255, 0xEE / 255, 0xF4 / 255)


@lru_cache(maxsize=8)
def network(size: int) -> dict[str, Any]:
    """Maps of the sizes in the brief; 150 contacts with about 2,000 ties; the 30-contact
    map carries long, wide and non-Latin labels."""
    data = sample_map(size, size, tie_probability=0.18 if size >= 150 else 0.15)
    if size == 30:
        for index, contact in enumerate(data["contacts"][: len(LONG_LABELS)]):
            contact["label"] = LONG_LABELS[index]
    return data


def nodes_of(data: dict[str, Any]) -> list[Node]:
    program = Program.model_validate(program_json())
    parsed = NetworkMap.model_validate(data)
    dormant = {item.contact_id for item in analyze_map(parsed, program, AS_OF).reconnect}
    return [Node(c.id, c.label, c.purpose, c.closeness, c.id in dormant, tuple(c.qualities),
                 c.origin) for c in parsed.contacts]


def ties_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in data["ties"]]


@lru_cache(maxsize=8)
def geometry(size: int) -> Layout:
    data = network(size)
    return compute_layout(nodes_of(data), ties_of(data), note="Labels shown for closest")


def overlaps(a: tuple[float, ...], b: tuple[float, ...], slack: float = 0.05) -> bool:
    return (a[0] < b[2] - slack and b[0] < a[2] - slack
            and a[1] < b[3] - slack and b[1] < a[3] - slack)


def circle_hits_box(x: float, y: float, r: float, box: tuple[float, ...],
                    slack: float = 0.05) -> bool:
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return math.hypot(dx, dy) < r - slack


# The layout itself ----------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_layout_discs_and_labels_never_overlap_and_stay_inside(size: int) -> None:
    g = geometry(size)
    assert len(g.placed) == size
    discs = [(p.x, p.y, p.outer) for p in g.placed] + [(g.cx, g.cy, EGO_RADIUS)]
    for i, (x, y, r) in enumerate(discs):
        assert r <= x <= g.width - r and r <= y <= g.height - r
        for x2, y2, r2 in discs[i + 1:]:
            assert math.hypot(x - x2, y - y2) >= r + r2, "two discs overlap"
    boxes = [p.label.box for p in g.placed if p.label]
    for i, box in enumerate(boxes):
        assert box[0] >= 0 and box[2] <= g.width and box[1] >= 0 and box[3] <= g.height
        assert not any(overlaps(box, other) for other in boxes[i + 1:]), "labels overlap"
        assert not any(circle_hits_box(x, y, r, box) for x, y, r in discs), "label on a disc"


@pytest.mark.parametrize("size", SIZES)
def test_layout_labels_everyone_on_small_maps_and_the_closest_and_dormant_on_big_ones(
        size: int) -> None:
    g = geometry(size)
    labelled = {p.node.id for p in g.placed if p.label}
    if size <= COMPACT_ABOVE:
        assert not g.compact and labelled == {p.node.id for p in g.placed}
    else:
        wanted = {p.node.id for p in g.placed if p.node.closeness == 5 or p.node.dormant}
        assert g.compact and labelled == wanted and g.note_y < g.height
    for p in g.placed:
        if p.label:
            assert p.label.lines == label_lines(p.node.label)
            assert all(text_width(line) <= LABEL_MAX_WIDTH for line in p.label.lines)


@pytest.mark.parametrize("size", SIZES)
def test_ties_are_curves_that_keep_off_the_participant(size: int) -> None:
    g = geometry(size)
    distinct = {tuple(sorted(t)) for t in ties_of(network(size)) if t[0] != t[1]}
    if g.compact:
        # One curve per pair of clusters, standing for every tie between them.
        cluster = {p.node.id: p.cluster for p in g.placed}
        between = [(a, b) for a, b in distinct if cluster[a] != cluster[b]]
        pairs = {(min(cluster[a], cluster[b]), max(cluster[a], cluster[b])) for a, b in between}
        assert between and sum(c.count for c in g.curves) == len(between)
        assert {(int(c.a), int(c.b)) for c in g.curves} == pairs == {
            (int(c.a), int(c.b)) for c in g.curves if not c.inside}
        assert len(g.curves) < len(distinct) / 10
        # Bundles run between hubs, each in a free spot: on no disc and under no label.
        hubs = set(g.hubs)
        assert all({c.points[:2], c.points[4:]} <= hubs for c in g.curves)
        for x, y in g.hubs:
            assert all(math.hypot(x - p.x, y - p.y) >= p.outer + HUB_RADIUS for p in g.placed)
            assert not any(circle_hits_box(x, y, HUB_RADIUS, p.label.box)
                           for p in g.placed if p.label)
    else:
        assert len(g.curves) == len(distinct) and all(c.count == 1 for c in g.curves)
    for curve in g.curves:
        x0, y0, x1, y1, x2, y2 = curve.points
        # Really bowed: the control point is off the chord.
        chord = math.hypot(x2 - x0, y2 - y0)
        assert abs((x2 - x0) * (y1 - y0) - (y2 - y0) * (x1 - x0)) / chord > 1.0
        for step in range(101):
            x, y = curve_point(curve.points, step / 100)
            assert math.hypot(x - g.cx, y - g.cy) > EGO_RADIUS


@pytest.mark.parametrize("size", SIZES)
def test_closeness_bands_and_cluster_sectors(size: int) -> None:
    g = geometry(size)
    radius = {band: [p.radius for p in g.placed if p.node.band == band] for band in range(3)}
    present = [band for band in range(3) if radius[band]]
    for inner, outer in itertools.pairwise(present):
        assert max(radius[inner]) < min(radius[outer])
    # Each cluster owns one stretch of angle: no contact of another cluster inside it.
    spans = {}
    for p in g.placed:
        low, high = spans.get(p.cluster, (p.angle, p.angle))
        spans[p.cluster] = (min(low, p.angle), max(high, p.angle))
    for p in g.placed:
        for cluster, (low, high) in spans.items():
            if cluster != p.cluster:
                assert not low < p.angle < high
    # Shaded sectors are clusters knit by ties, and hold all their members.
    cluster = {p.node.id: p.cluster for p in g.placed}
    knit = {cluster[a] for a, b in ties_of(network(size)) if a != b and cluster[a] == cluster[b]}
    assert {s.cluster for s in g.sectors} <= knit
    for sector in g.sectors:
        for p in g.placed:
            if p.cluster == sector.cluster:
                assert sector.start < p.angle < sector.end
                assert sector.inner < p.radius < sector.outer


def test_clusters_follow_who_knows_whom_and_isolates_go_by_origin() -> None:
    people = [Node(f"a{i}", "A", "growth", 3, origin="education") for i in range(4)]
    people += [Node(f"b{i}", "B", "company", 3, origin="current_job") for i in range(4)]
    people += [Node("x1", "X", None, 1, origin="personal"), Node("x2", "Y", None, 2,
                                                                  origin="personal"),
               Node("x3", "Z", None, 2, origin="former_job")]
    ties = [(f"a{i}", f"a{j}") for i in range(4) for j in range(i)]
    ties += [(f"b{i}", f"b{j}") for i in range(4) for j in range(i)] + [("a0", "b0")]
    groups = [sorted(n.id for n in group) for group in clusters(people, ties)]
    assert sorted(groups) == sorted([[f"a{i}" for i in range(4)], [f"b{i}" for i in range(4)],
                                     ["x3"], ["x1", "x2"]])


def test_long_labels_wrap_or_shorten_and_are_escaped() -> None:
    assert label_lines("M.R.") == ("M.R.",)
    wrapped = label_lines("Maria Giovanna Esposito-Castellammare")
    assert wrapped == ("Maria", "Giovanna E.")  # first name whole, then initials
    assert all(text_width(line) <= LABEL_MAX_WIDTH for line in wrapped)
    single = label_lines("W" * 40)
    assert len(single) == 1 and "…" in single[0] and text_width(single[0]) <= LABEL_MAX_WIDTH
    svg = sociogram_svg([Node("a", "<script>x</script> & co", "growth", 5)], [],
                        ego_label="<You>", title="<Map>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;You&gt;" in svg


def test_layout_is_deterministic() -> None:
    data = network(60)
    first = compute_layout(nodes_of(data), ties_of(data))
    again = compute_layout(nodes_of(data), list(reversed(ties_of(data))))
    assert [(p.node.id, p.x, p.y, p.label) for p in first.placed] == \
        [(p.node.id, p.x, p.y, p.label) for p in again.placed]


# The printed report ---------------------------------------------------------------------

def _close(colour: Any, wanted: tuple[float, float, float]) -> bool:
    return (isinstance(colour, tuple) and len(colour) == 3
            and all(abs(a - b) < 0.003 for a, b in zip(colour, wanted, strict=True)))


@lru_cache(maxsize=8)
def printed(size: int) -> dict[str, Any]:
    """The map page of the report: figure box, discs (x, y, r) and the words in the figure."""
    pdf = render_report("individual", individual_inputs(network(size))).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            panels = [r for r in page.rects if _close(r["non_stroking_color"], BACKGROUND)]
            if not panels:
                continue
            panel = panels[0]
            box = (panel["x0"], panel["top"], panel["x1"], panel["bottom"])
            circles = []
            for curve in page.curves:
                inside = (box[0] <= curve["x0"] and curve["x1"] <= box[2]
                          and box[1] <= curve["top"] and curve["bottom"] <= box[3])
                if (not inside or len(curve["pts"]) < 8
                        or (curve["fill"] and _close(curve["non_stroking_color"], SECTOR_FILL))):
                    continue  # ties are drawn as single curves, circles as several arcs
                r = curve["width"] / 2
                left = min(curve["pts"], key=lambda pt: pt[0])
                width = curve.get("linewidth") or 0
                circles.append((curve["x0"] + r, left[1], r + width / 2,
                                curve["fill"] and _close(curve["non_stroking_color"], INK)))
            words = [w for w in page.extract_words()
                     if box[0] - 5 < w["x0"] < box[2] + 5 and box[1] - 5 < w["top"] < box[3] + 5]
            return {"box": box, "circles": circles, "words": words}
    raise AssertionError("no map page")


def _discs(circles: list[tuple[float, float, float, bool]]) -> list[tuple[float, float, float]]:
    """One disc per centre (a disc and the rings of its qualities share one); band guides,
    which are centred on the participant and wider than any disc, are left out."""
    ego = max((c for c in circles if c[3]), key=lambda c: c[2])
    discs: dict[tuple[int, int], tuple[float, float, float]] = {}
    for x, y, r, _ in circles:
        if math.hypot(x - ego[0], y - ego[1]) < 0.5 and r > ego[2] + 0.5:
            continue
        key = (round(x * 2), round(y * 2))
        if key not in discs or discs[key][2] < r:
            discs[key] = (x, y, r)
    return list(discs.values())


@pytest.mark.parametrize("size", SIZES)
def test_printed_map_has_no_overlaps_and_every_label_inside(size: int) -> None:
    found = printed(size)
    box, words = found["box"], found["words"]
    discs = _discs(found["circles"])
    # Every contact, the participant, and on a compact map the bundles' hubs.
    assert len(discs) == size + 1 + len(geometry(size).hubs)
    for i, (x, y, r) in enumerate(discs):
        assert box[0] <= x - r and x + r <= box[2] and box[1] <= y - r and y + r <= box[3]
        for x2, y2, r2 in discs[i + 1:]:
            assert math.hypot(x - x2, y - y2) >= r + r2 - 0.1, "two discs overlap on paper"
    labels = [w for w in words if w["text"] != "You"]
    assert labels
    for i, w in enumerate(labels):
        wbox = (w["x0"], w["top"], w["x1"], w["bottom"])
        assert box[0] <= wbox[0] and wbox[2] <= box[2] and box[1] <= wbox[1] and \
            wbox[3] <= box[3], f"{w['text']!r} sticks out of the figure"
        for other in labels[i + 1:]:
            assert not overlaps(wbox, (other["x0"], other["top"], other["x1"], other["bottom"]),
                                0.3), f"{w['text']!r} overlaps {other['text']!r}"
        for x, y, r in discs:
            assert not circle_hits_box(x, y, r, wbox, 0.3), f"{w['text']!r} is on a disc"


@pytest.mark.parametrize("size", SIZES)
def test_printed_map_names_whom_it_should(size: int) -> None:
    text = "".join(w["text"] for w in printed(size)["words"])
    g = geometry(size)
    for p in g.placed:
        if p.label:
            for line in p.label.lines:
                assert "".join(line.split()) in text
    if size > COMPACT_ABOVE:
        assert "Labelsshownforclosestanddormantcontacts" in text
    else:
        assert "Labelsshown" not in text
