"""The sociogram: the participant at the centre, their contacts around them.

Placement is radial rather than force-directed, for print: a circle keeps
every label readable and every contact the same size of target for a pen.
networkx finds the clusters (Louvain communities over who-knows-whom, with a
fixed seed, so the same map always gives the same picture); each cluster gets
an arc, so ties inside a cluster are short chords and ties across clusters
are visibly long. The distance from the centre and the dot size both show
closeness. networkx's own coordinate layouts need numpy, which the project
does not ship; this needs only the graph algorithms.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
from markupsafe import Markup

from app.reports.rendering.svg import (
    INK,
    MUTED,
    PURPOSE_COLOURS,
    UNKNOWN_COLOUR,
    Svg,
    shorten_middle,
    truncate,
)

LAYOUT_SEED = 7
WIDTH = 560.0
HEIGHT = 360.0
STRETCH = 1.1  # a little wider than tall: labels run sideways
# Up to this many contacts every dot is labelled; beyond it only the closest are,
# so a 250-person map stays legible instead of turning into ink.
MAX_LABELS = 36
LABEL_CHARS = 18


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    purpose: str | None
    closeness: int | None
    dormant: bool


@dataclass(frozen=True)
class Placed:
    node: Node
    x: float
    y: float
    angle: float
    radius: float


def _clusters(nodes: Sequence[Node], ties: Iterable[tuple[str, str]]) -> list[list[Node]]:
    by_id = {node.id: node for node in nodes}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(by_id))
    graph.add_edges_from((a, b) for a, b in ties if a in by_id and b in by_id and a != b)
    connected = graph.subgraph([n for n in graph if graph.degree(n) > 0])
    communities: list[list[str]] = []
    if connected.number_of_nodes():
        found = nx.community.louvain_communities(connected, seed=LAYOUT_SEED)
        for community in found:
            # Walk each cluster breadth-first so neighbours sit next to each other.
            sub = connected.subgraph(community)
            start = min(community, key=lambda n: (-sub.degree(n), n))
            order = list(nx.bfs_tree(sub, start)) if sub.number_of_nodes() else []
            order += sorted(set(community) - set(order))
            communities.append(order)
    communities.sort(key=lambda c: (-len(c), c[0]))
    isolated = sorted(
        (n for n in graph if graph.degree(n) == 0),
        key=lambda n: (by_id[n].purpose or "~", -(by_id[n].closeness or 0), n),
    )
    clusters = [[by_id[n] for n in c] for c in communities]
    if isolated:
        clusters.append([by_id[n] for n in isolated])
    return clusters


def layout(nodes: Sequence[Node], ties: Iterable[tuple[str, str]]) -> list[Placed]:
    """Angles by cluster, radius by closeness (5 = innermost ring)."""
    clusters = _clusters(nodes, ties)
    total = sum(len(c) for c in clusters)
    if total == 0:
        return []
    gaps = len(clusters) if len(clusters) > 1 else 0
    step = 2 * math.pi / (total + gaps)
    cx, cy = WIDTH / 2, HEIGHT / 2
    inner, outer = 60.0, cy - 24.0
    placed: list[Placed] = []
    angle = -math.pi / 2 + step / 2
    index = 0
    for cluster in clusters:
        for node in cluster:
            closeness = node.closeness or 1
            radius = outer - (closeness - 1) / 4 * (outer - inner)
            # Alternate neighbours slightly in and out so adjacent labels do not collide.
            if total > 16:
                radius += 9.0 if index % 2 else -9.0
            x = cx + radius * math.cos(angle) * STRETCH
            y = cy + radius * math.sin(angle)
            placed.append(Placed(node, x, y, angle, radius))
            angle += step
            index += 1
        angle += step if gaps else 0
    return placed


def dot_radius(closeness: int | None) -> float:
    return 4.0 + 1.6 * (closeness or 1)


def sociogram_svg(
    nodes: Sequence[Node], ties: Iterable[tuple[str, str]], *, ego_label: str, title: str
) -> Markup:
    ties = list(ties)
    placed = layout(nodes, ties)
    svg = Svg(WIDTH, HEIGHT, title=title, font_size=9, fluid=True)
    cx, cy = WIDTH / 2, HEIGHT / 2
    position = {p.node.id: p for p in placed}
    for p in placed:  # spokes: ego knows everyone; kept faint so ties stand out
        svg.line(cx, cy, p.x, p.y, "#e6e9ef", 0.8)
    seen: set[frozenset[str]] = set()
    for a, b in ties:
        pair = frozenset((a, b))
        if a == b or pair in seen or a not in position or b not in position:
            continue
        seen.add(pair)
        svg.line(position[a].x, position[a].y, position[b].x, position[b].y, "#8d98aa", 1.1)
    svg.dot(cx, cy, 17, INK, stroke_width=2)
    svg.text(cx, cy + 3.5, truncate(ego_label, 8), anchor="middle", size=9, weight="bold",
             fill="#fff")

    labelled = _labelled_ids(placed)
    for p in placed:
        colour = PURPOSE_COLOURS.get(p.node.purpose or "", UNKNOWN_COLOUR)
        r = dot_radius(p.node.closeness)
        if p.node.dormant:
            svg.dot(p.x, p.y, r + 3.2, "none", stroke=MUTED, stroke_width=1.1, dash="2.2 1.8")
        svg.dot(p.x, p.y, r, colour)
        if p.node.id in labelled:
            _label(svg, p, r)
    return svg.markup()


def _labelled_ids(placed: Sequence[Placed]) -> set[str]:
    if len(placed) <= MAX_LABELS:
        return {p.node.id for p in placed}
    ranked = sorted(placed, key=lambda p: (-(p.node.closeness or 0), p.node.id))
    return {p.node.id for p in ranked[:MAX_LABELS]}


def _label(svg: Svg, p: Placed, r: float) -> None:
    """Labels point away from the centre: right half reads rightwards, left half leftwards."""
    cos, sin = math.cos(p.angle), math.sin(p.angle)
    text = shorten_middle(p.node.label, LABEL_CHARS)
    if abs(cos) < 0.25:  # top and bottom: centred above or below the dot
        dy = -(r + 4) if sin < 0 else r + 10
        svg.text(p.x, p.y + dy, text, anchor="middle")
    elif cos > 0:
        svg.text(p.x + r + 3, p.y + 3, text)
    else:
        svg.text(p.x - r - 3, p.y + 3, text, anchor="end")
