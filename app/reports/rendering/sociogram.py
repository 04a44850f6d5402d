"""The sociogram: the participant at the centre, their contacts around them.

A map a facilitator can talk through: each cluster of people who know each
other in its own sector, the closest contacts in the innermost band, and every
label whole and clear of every disc and other label (sociogram_layout does the
geometry). Fill shows purpose; a dark ring "energizes", a red ring "drains";
a dormant contact is a hollow disc. Ties are curves bowed away from the centre.
Clusters knit by ties are shaded sectors. Past COMPACT_ABOVE contacts the discs
shrink, only the closest and the dormant contacts are named, which the figure
says in a note, and the ties between two clusters are drawn as one curve whose
width grows with their number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from markupsafe import Markup

from app.reports.rendering.sociogram_layout import (
    COMPACT_ABOVE,
    EGO_RADIUS,
    HUB_RADIUS,
    MARGIN,
    RING_STEP,
    Layout,
    Node,
    Placed,
    compute_layout,
)
from app.reports.rendering.sociogram_text import FONT_SIZE, LINE_HEIGHT, visual_order
from app.reports.rendering.svg import (
    INK,
    MUTED,
    PURPOSE_COLOURS,
    UNKNOWN_COLOUR,
    WARN,
    Svg,
    num,
    truncate,
)

__all__ = ["COMPACT_ABOVE", "Node", "Placed", "layout", "legend_keys", "sociogram_svg"]

BACKGROUND = "#f8f9fb"
SECTOR_FILL = "#eaeef4"
LABEL_CARD = "#fbfcfd"
BAND_STROKE = "#d5dbe4"
BUNDLE_STROKE = "#9aa5b4"
ENERGIZES = INK
DRAINS = WARN


def layout(nodes: Sequence[Node], ties: Iterable[tuple[str, str]]) -> list[Placed]:
    return compute_layout(nodes, ties).placed


def _colour(node: Node) -> str:
    return PURPOSE_COLOURS.get(node.purpose or "", UNKNOWN_COLOUR)


def _disc(svg: Svg, x: float, y: float, r: float, colour: str, *, dormant: bool,
          energizes: bool, drains: bool) -> None:
    if dormant:  # hollow: the colour of its purpose, no fill
        svg.dot(x, y, r - 0.8, "#fff", stroke=colour, stroke_width=1.6)
    else:
        svg.dot(x, y, r, colour, stroke="#fff", stroke_width=0.6)
    ring = r
    if energizes:
        ring += RING_STEP
        svg.dot(x, y, ring - 0.6, "none", stroke=ENERGIZES, stroke_width=1.2)
    if drains:
        ring += RING_STEP
        svg.dot(x, y, ring - 0.6, "none", stroke=DRAINS, stroke_width=1.2)


def _sector_path(cx: float, cy: float, start: float, end: float, inner: float,
                 outer: float) -> str:
    large = 1 if end - start > math.pi else 0

    def at(radius: float, angle: float) -> str:
        return f"{num(cx + radius * math.cos(angle))} {num(cy + radius * math.sin(angle))}"

    return (f"M{at(inner, start)}L{at(outer, start)}"
            f"A{num(outer)} {num(outer)} 0 {large} 1 {at(outer, end)}"
            f"L{at(inner, end)}A{num(inner)} {num(inner)} 0 {large} 0 {at(inner, start)}z")


def sociogram_svg(
    nodes: Sequence[Node], ties: Iterable[tuple[str, str]], *, ego_label: str, title: str,
    note: str = "", for_pdf: bool = True,
) -> Markup:
    """``note`` (translated by the caller) is printed in compact maps, whose labels are few.

    ``for_pdf``: labels are written in visual order (sociogram_text.visual_order),
    since WeasyPrint draws SVG text letter by letter with no bidi algorithm; a
    browser, which has one, gets them as typed.
    """
    shown = visual_order if for_pdf else str
    geometry: Layout = compute_layout(nodes, ties, note=note)
    svg = Svg(geometry.width, geometry.height, title=title, font_size=FONT_SIZE, fluid=True)
    cx, cy = geometry.cx, geometry.cy
    svg.rect(0, 0, geometry.width, geometry.height, BACKGROUND)
    if geometry.sectors:
        svg.path("".join(_sector_path(cx, cy, s.start, s.end, s.inner, s.outer)
                         for s in geometry.sectors), fill=SECTOR_FILL)
    for radius in geometry.bands:  # a path, not a dot: under the ties and the labels
        svg.path(f"M{num(cx - radius)} {num(cy)}a{num(radius)} {num(radius)} 0 1 0 "
                 f"{num(2 * radius)} 0a{num(radius)} {num(radius)} 0 1 0 {num(-2 * radius)} 0z",
                 stroke=BAND_STROKE, width=0.8)
    for curve in geometry.curves:
        x0, y0, x1, y1, x2, y2 = curve.points
        if geometry.compact:  # a bundle: thicker for more ties, in a few steps
            stroke, width = BUNDLE_STROKE, min(4.0, 0.5 + 0.5 * round(math.sqrt(curve.count)))
        else:
            stroke, width = ("#8d98aa", 0.8) if curve.inside else ("#b3bcc9", 0.7)
        svg.path(f"M{num(x0)} {num(y0)}Q{num(x1)} {num(y1)} {num(x2)} {num(y2)}",
                 stroke=stroke, width=width)
    for x, y in geometry.hubs:
        svg.dot(x, y, HUB_RADIUS, "#fff", stroke=BUNDLE_STROKE, stroke_width=1.2)
    for p in geometry.placed:  # a pale card under each label keeps ties from crossing text
        if p.label:
            x0, y0, x1, y1 = p.label.box
            svg.rect(x0 - 1, y0, x1 - x0 + 2, y1 - y0, LABEL_CARD)
    svg.dot(cx, cy, EGO_RADIUS, INK, stroke="#fff", stroke_width=1)
    svg.text(cx, cy + 3.2, truncate(ego_label, 6), anchor="middle", size=8.5, weight="bold",
             fill="#fff")
    for p in geometry.placed:
        _disc(svg, p.x, p.y, p.r, _colour(p.node), dormant=p.node.dormant,
              energizes="energizes" in p.node.qualities, drains="drains" in p.node.qualities)
        if p.label:
            for index, line in enumerate(p.label.lines):
                svg.text(p.label.x, p.label.y + index * LINE_HEIGHT, shown(line),
                         anchor=p.label.anchor)
    if geometry.compact and note:
        svg.text(MARGIN, geometry.note_y, note, fill=MUTED)
    return svg.markup()


def legend_keys() -> dict[str, Markup]:
    """Little SVG keys for the caption, drawn like the map's own discs."""
    keys = {}
    colour = PURPOSE_COLOURS["growth"]
    for name, options in (
        ("dormant", {"dormant": True, "energizes": False, "drains": False}),
        ("energizes", {"dormant": False, "energizes": True, "drains": False}),
        ("drains", {"dormant": False, "energizes": False, "drains": True}),
    ):
        svg = Svg(14, 14)
        _disc(svg, 7, 7, 4.2, colour, **options)
        keys[name] = svg.markup(style="display: inline; vertical-align: -2px")
    return keys
