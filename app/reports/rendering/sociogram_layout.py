"""Where everything on the sociogram goes: pure geometry, no SVG.

The map is radial, for print: the participant in the centre, each cluster of
the contact–contact graph in its own angular sector, closeness in three bands
(closest innermost). Every contact is placed greedily, in a fixed order, at the
free spot nearest to its ideal one inside its sector and band; a spot is free
when the contact's footprint (its disc with the rings of its qualities, plus its
label, if it gets one) touches no other footprint. So no two discs overlap and
no label touches a disc or another label by construction; a crowded band simply
grows outwards, and the next band starts beyond it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx

from app.reports.rendering.sociogram_text import FONT_SIZE, LINE_HEIGHT, label_lines, text_width

LAYOUT_SEED = 7
EGO_RADIUS = 18.0
# Above this many contacts the map turns compact: smaller discs, clusters drawn as
# shaded sectors, labels only for the closest and the dormant contacts, and the ties
# between two clusters bundled into one curve (hundreds of single ties are a blur).
COMPACT_ABOVE = 40
MARGIN = 6.0
MIN_WIDTH = 440.0  # the column is ~670 px wide: a small map prints at 1.5 times
PAD = 1.6  # clear space kept around every disc and label
BAND_GAP = 9.0
RING_STEP = 2.3  # each quality ring sits this far outside the last


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    purpose: str | None
    closeness: int | None
    dormant: bool = False
    qualities: tuple[str, ...] = ()
    origin: str | None = None

    @property
    def band(self) -> int:
        """0 = closest (5), 1 = middle (3-4), 2 = outer (1-2 or not given)."""
        closeness = self.closeness or 1
        return 0 if closeness >= 5 else 1 if closeness >= 3 else 2

    @property
    def rings(self) -> int:
        return sum(1 for q in ("energizes", "drains") if q in self.qualities)


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Label:
    lines: tuple[str, ...]
    x: float  # anchor of every line
    y: float  # baseline of the first line
    anchor: str  # start, middle or end
    box: Box


@dataclass(frozen=True)
class Placed:
    node: Node
    x: float
    y: float
    angle: float  # in the sector's own, unwrapped, angle
    radius: float  # distance of the disc's centre from the participant
    r: float  # radius of the filled disc
    outer: float  # radius including the rings of its qualities
    cluster: int
    label: Label | None


@dataclass(frozen=True)
class Curve:
    """A tie between two contacts or, on a compact map, a bundle of the ties between two
    clusters (``a`` and ``b`` are then the clusters' indices and ``count`` its ties)."""

    a: str
    b: str
    points: tuple[float, float, float, float, float, float]  # start, control, end
    inside: bool  # both ends in the same cluster
    count: int = 1


@dataclass(frozen=True)
class Sector:
    cluster: int
    start: float
    end: float
    inner: float
    outer: float
    size: int


@dataclass
class Layout:
    width: float
    height: float
    cx: float
    cy: float
    compact: bool
    placed: list[Placed] = field(default_factory=list)
    curves: list[Curve] = field(default_factory=list)
    bands: list[float] = field(default_factory=list)  # inner radius of bands 1 and 2
    sectors: list[Sector] = field(default_factory=list)  # clusters knit by ties, shaded
    note_y: float = 0.0  # baseline of the note, in compact maps
    hubs: list[tuple[float, float]] = field(default_factory=list)  # bundles' ends, compact


def disc_radius(closeness: int | None, compact: bool) -> float:
    c = closeness or 1
    return 2.6 + 0.6 * c if compact else 3.4 + 0.95 * c


def clusters(nodes: Sequence[Node], ties: Iterable[tuple[str, str]]) -> list[list[Node]]:
    """Louvain communities of who-knows-whom (fixed seed); people nobody else on the map
    knows are grouped by where they come from."""
    by_id = {node.id: node for node in nodes}
    edges = sorted({(min(a, b), max(a, b)) for a, b in ties
                    if a in by_id and b in by_id and a != b})
    graph = nx.Graph()
    graph.add_nodes_from(sorted(by_id))
    graph.add_edges_from(edges)
    # A graph of its own, not a subgraph view: a view filters every neighbour lookup,
    # which made Louvain on a 150-contact map several times slower.
    connected = nx.Graph()
    connected.add_nodes_from(n for n in graph if graph.degree(n) > 0)
    connected.add_edges_from(edges)
    groups: list[list[str]] = []
    for community in nx.community.louvain_communities(connected, seed=LAYOUT_SEED):
        groups.append(_breadth_first(connected, community))
    groups.sort(key=lambda g: (-len(g), g[0]))
    groups = _neighbours_adjacent(groups, graph)
    by_origin: dict[str, list[str]] = defaultdict(list)
    for n in sorted(n for n in graph if graph.degree(n) == 0):
        by_origin[by_id[n].origin or "~"].append(n)
    for origin in sorted(by_origin):
        groups.append(sorted(by_origin[origin], key=lambda n: (-(by_id[n].closeness or 0), n)))
    return [[by_id[n] for n in group] for group in groups]


def _breadth_first(graph: nx.Graph, community: set[str]) -> list[str]:
    """The community breadth-first from its best-connected member, so that neighbours sit
    side by side (by hand: nx.bfs_tree on a subgraph view costs more than the search)."""
    adjacency = graph.adj

    def inside(n: str) -> list[str]:
        return [m for m in adjacency[n] if m in community]

    start = min(community, key=lambda n: (-len(inside(n)), n))
    order, seen = [start], {start}
    for n in order:  # grows while it is walked: a queue
        for m in inside(n):
            if m not in seen:
                seen.add(m)
                order.append(m)
    return order + sorted(community - seen)


def _neighbours_adjacent(groups: list[list[str]], graph: nx.Graph) -> list[list[str]]:
    """Orders clusters round the circle so that each is followed by the one it has most
    ties to: ties between clusters then stay short instead of crossing the map."""
    if len(groups) < 3:
        return groups
    member = {n: index for index, group in enumerate(groups) for n in group}
    between: dict[tuple[int, int], int] = defaultdict(int)
    for a, b in graph.edges:
        if member[a] != member[b]:
            between[member[a], member[b]] += 1
            between[member[b], member[a]] += 1
    order = [0]
    left = list(range(1, len(groups)))
    while left:
        last = order[-1]
        pick = max(left, key=lambda j: (between[last, j], sum(between[k, j] for k in order),
                                        -j))
        order.append(pick)
        left.remove(pick)
    return [groups[i] for i in order]


class _Grid:
    """Boxes bucketed by cell, for quick overlap tests."""

    def __init__(self, cell: float = 24.0) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[Box]] = defaultdict(list)

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        c = self.cell
        for i in range(math.floor(box[0] / c), math.floor(box[2] / c) + 1):
            for j in range(math.floor(box[1] / c), math.floor(box[3] / c) + 1):
                yield i, j

    def free(self, box: Box) -> bool:
        # The placement's inner loop (~15,000 calls on a 150-contact map): no generator.
        x0, y0, x1, y1 = box
        c, cells = self.cell, self.cells
        rows = range(math.floor(y0 / c), math.floor(y1 / c) + 1)
        for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1):
            for j in rows:
                for o in cells.get((i, j), ()):
                    if x0 < o[2] and o[0] < x1 and y0 < o[3] and o[1] < y1:
                        return False
        return True

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.cells[key].append(box)


def _label_at(lines: tuple[str, ...], x: float, y: float, reach: float, side: str) -> Label:
    """A label beside (right/left) or above/below a disc centred at (x, y)."""
    w = max(text_width(line) for line in lines)
    h = (len(lines) - 1) * LINE_HEIGHT + 1.22 * FONT_SIZE
    ascent = 0.95 * FONT_SIZE
    gap = reach + 2.0
    if side == "right":
        top = y - h / 2
        return Label(lines, x + gap, top + ascent, "start", (x + gap, top, x + gap + w, top + h))
    if side == "left":
        top = y - h / 2
        return Label(lines, x - gap, top + ascent, "end", (x - gap - w, top, x - gap, top + h))
    top = y - gap - h if side == "above" else y + gap
    return Label(lines, x, top + ascent, "middle", (x - w / 2, top, x + w / 2, top + h))


def _sides(angle: float) -> tuple[str, ...]:
    cos, sin = math.cos(angle), math.sin(angle)
    vertical = "above" if sin < 0 else "below"
    horizontal = ("right", "left") if cos >= 0 else ("left", "right")
    if abs(cos) < 0.35:
        return (vertical, *horizontal)
    return (*horizontal, vertical)


def _grow(box: Box, pad: float) -> Box:
    return box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad


def _nearest(box: Box) -> float:
    """Distance from the centre (0, 0) to the nearest point of the box."""
    dx = max(box[0], 0.0, -box[2])
    dy = max(box[1], 0.0, -box[3])
    return math.hypot(dx, dy)


def _place(node: Node, ideal: float, sector: tuple[float, float], inner: float, r: float,
           outer: float, labelled: bool, grid: _Grid) -> tuple[float, float, Label | None]:
    """The free spot of least cost: moving along the arc costs a third of moving outwards."""
    lines = label_lines(node.label) if labelled else ()
    best: tuple[float, float, float, Label | None] | None = None
    step_r = 3.0
    k = 0
    while True:
        dr = k * step_r
        if best is not None and dr >= best[0]:
            break
        if dr > 2000:
            raise RuntimeError("no room for a contact")  # pragma: no cover - geometry bug
        radius = inner + outer + PAD + dr
        step_a = 3.0 / radius
        j = 0
        while True:
            cost = dr + 0.35 * j * 3.0
            if best is not None and cost >= best[0]:
                break
            candidates = [ideal] if j == 0 else [ideal + j * step_a, ideal - j * step_a]
            inside = [a for a in candidates if sector[0] <= a <= sector[1]]
            if not inside:
                break
            for angle in inside:
                x, y = radius * math.cos(angle), radius * math.sin(angle)
                disc = _grow((x - outer, y - outer, x + outer, y + outer), PAD)
                if not grid.free(disc):
                    continue
                label = None
                if lines:
                    for side in _sides(angle):
                        option = _label_at(lines, x, y, outer, side)
                        padded = _grow(option.box, PAD)
                        if grid.free(padded) and _nearest(padded) >= inner:
                            label = option
                            break
                    if label is None:
                        continue
                best = (cost, angle, radius, label)
                break
            if best is not None and best[0] <= cost:
                break
            j += 1
        k += 1
    assert best is not None
    _cost, angle, radius, label = best
    x, y = radius * math.cos(angle), radius * math.sin(angle)
    grid.add(_grow((x - outer, y - outer, x + outer, y + outer), PAD))
    if label is not None:
        grid.add(_grow(label.box, PAD))
    return angle, radius, label


def _sectors(groups: list[list[Node]]) -> list[tuple[float, float]]:
    """Angle ranges, clockwise from the top; a gap between clusters, none for one."""
    count = len(groups)
    gap = 0.12 if count > 1 else 0.0
    weights = [max(len(g), 1.5) for g in groups]
    room = 2 * math.pi - gap * count
    total = sum(weights)
    start = -math.pi / 2 + gap / 2
    ranges = []
    for weight in weights:
        span = room * weight / total
        ranges.append((start, start + span))
        start += span + gap
    return ranges


def _bezier(a: tuple[float, float], b: tuple[float, float], clear: float
            ) -> tuple[float, float, float, float, float, float]:
    """A quadratic curve from a to b bowed away from the centre, kept off the ego disc."""
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    length = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
    # Bow square to the chord, on the side away from the centre; failing that, straight out.
    px_, py_ = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
    if px_ * mx + py_ * my < 0:
        px_, py_ = -px_, -py_
    norm = math.hypot(mx, my)
    directions = [(px_, py_)] + ([(mx / norm, my / norm)] if norm > 1e-6 else [])
    for nx_, ny_ in directions:
        bow = 0.16 * length
        for _ in range(12):
            points = (a[0], a[1], mx + nx_ * bow, my + ny_ * bow, b[0], b[1])
            if _hull_clear(points, clear) or min_distance(points) > clear:
                return points
            bow = bow * 1.3 + 4
    return a[0], a[1], mx + px_ * 0.16 * length, my + py_ * 0.16 * length, b[0], b[1]


def _segment_distance(x0: float, y0: float, x1: float, y1: float) -> float:
    """Distance of the segment (x0, y0)-(x1, y1) from the origin."""
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(x0 * dx + y0 * dy) / length2))
    return math.hypot(x0 + t * dx, y0 + t * dy)


def _hull_clear(points: Sequence[float], clear: float) -> bool:
    """True when the curve's control triangle, hence the curve, stays beyond ``clear``.

    A quadratic curve lies inside the triangle of its control points, so this
    cheap test can only accept curves that the sampled min_distance would accept
    too; everything else is left to the sampling.
    """
    x0, y0, x1, y1, x2, y2 = points
    c0 = x0 * y1 - y0 * x1  # the origin's side of each edge
    c1 = x1 * y2 - y1 * x2
    c2 = x2 * y0 - y2 * x0
    if (c0 >= 0 and c1 >= 0 and c2 >= 0) or (c0 <= 0 and c1 <= 0 and c2 <= 0):
        return False  # the origin is inside the triangle (or on an edge)
    return min(_segment_distance(x0, y0, x1, y1), _segment_distance(x1, y1, x2, y2),
               _segment_distance(x2, y2, x0, y0)) > clear


def curve_point(points: Sequence[float], t: float) -> tuple[float, float]:
    x0, y0, x1, y1, x2, y2 = points
    u = 1 - t
    return u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2


def min_distance(points: Sequence[float], cx: float = 0.0, cy: float = 0.0,
                 samples: int = 48) -> float:
    """Least distance of a quadratic curve from (cx, cy), sampled."""
    best = math.inf
    for i in range(samples + 1):
        x, y = curve_point(points, i / samples)
        best = min(best, math.hypot(x - cx, y - cy))
    return best


def compute_layout(nodes: Sequence[Node], ties: Iterable[tuple[str, str]], *,
                   note: str = "") -> Layout:
    ties = list(ties)
    compact = len(nodes) > COMPACT_ABOVE
    groups = clusters(nodes, ties)
    ranges = _sectors(groups)
    grid = _Grid()
    ego = EGO_RADIUS + PAD
    grid.add((-ego, -ego, ego, ego))
    # Ideal angles: each band's contacts spread evenly over their cluster's sector.
    ideal: dict[str, float] = {}
    cluster_of: dict[str, int] = {}
    for index, (group, (a0, a1)) in enumerate(zip(groups, ranges, strict=True)):
        for band in range(3):
            members = [n for n in group if n.band == band]
            for i, node in enumerate(members):
                ideal[node.id] = a0 + (a1 - a0) * (i + 0.5) / len(members)
                cluster_of[node.id] = index
    placed: list[Placed] = []
    bands: list[float] = []
    inner = EGO_RADIUS + 10.0
    for band in range(3):
        members = sorted((n for n in nodes if n.band == band),
                         key=lambda n: (cluster_of[n.id], ideal[n.id]))
        if band and members and placed:
            inner = max(p.radius + p.outer for p in placed) + BAND_GAP
            bands.append(inner - BAND_GAP / 2)
        for node in members:
            r = disc_radius(node.closeness, compact)
            outer = r + RING_STEP * node.rings
            labelled = not compact or node.closeness == 5 or node.dormant
            angle, radius, label = _place(node, ideal[node.id], ranges[cluster_of[node.id]],
                                          inner, r, outer, labelled, grid)
            placed.append(Placed(node, radius * math.cos(angle), radius * math.sin(angle),
                                 angle, radius, r, outer, cluster_of[node.id], label))
    pairs = sorted({(min(a, b), max(a, b)) for a, b in ties
                    if a != b and a in cluster_of and b in cluster_of})
    hubs: dict[int, tuple[float, float]] = {}
    if compact:
        curves, hubs = _bundles(placed, pairs, cluster_of, grid)
    else:
        position = {p.node.id: (p.x, p.y) for p in placed}
        curves = [Curve(a, b, _bezier(position[a], position[b], EGO_RADIUS + 3),
                        cluster_of[a] == cluster_of[b]) for a, b in pairs]
    knit = {cluster_of[a] for a, b in pairs if cluster_of[a] == cluster_of[b]}
    sectors = _hulls([p for p in placed if p.cluster in knit], ranges)
    return _framed(placed, curves, bands, sectors, compact, note, list(hubs.values()))


HUB_RADIUS = 2.6  # where a compact map's bundles meet their cluster


def _bundles(placed: list[Placed], pairs: list[tuple[str, str]], cluster_of: dict[str, int],
             grid: _Grid) -> tuple[list[Curve], dict[int, tuple[float, float]]]:
    """One curve per pair of clusters with ties between them (``count``: how many), between
    the clusters' hubs: a free spot amid each cluster's discs, so that a bundle is not
    mistaken for one person's ties."""
    between: dict[tuple[int, int], int] = defaultdict(int)
    for a, b in pairs:
        ca, cb = cluster_of[a], cluster_of[b]
        if ca != cb:
            between[min(ca, cb), max(ca, cb)] += 1
    members: dict[int, list[Placed]] = defaultdict(list)
    for p in placed:
        members[p.cluster].append(p)
    hubs: dict[int, tuple[float, float]] = {}
    for cluster in sorted({c for pair in between for c in pair}):
        group = members[cluster]
        angle = sum(p.angle for p in group) / len(group)  # sector angles are unwrapped
        middle = sorted(p.radius for p in group)[len(group) // 2]
        reach = HUB_RADIUS + PAD
        for step in range(400):  # out and in, alternately, from the middle radius
            radius = middle + (step + 1) // 2 * (1 if step % 2 else -1) * 1.5
            if radius < EGO_RADIUS + 3 * reach:
                continue
            x, y = radius * math.cos(angle), radius * math.sin(angle)
            if grid.free((x - reach, y - reach, x + reach, y + reach)):
                break
        grid.add((x - reach, y - reach, x + reach, y + reach))
        hubs[cluster] = (x, y)
    curves = [Curve(str(ca), str(cb), _bezier(hubs[ca], hubs[cb], EGO_RADIUS + 3), False, count)
              for (ca, cb), count in sorted(between.items())]
    return curves, hubs


def _hulls(placed: list[Placed], ranges: list[tuple[float, float]]) -> list[Sector]:
    """Each cluster of three or more as an annular sector around its discs (only clusters
    knit by ties are given: people grouped by origin are not a cluster to shade)."""
    members: dict[int, list[Placed]] = defaultdict(list)
    for p in placed:
        members[p.cluster].append(p)
    sectors = []
    for index in sorted(members):
        group = members[index]
        if len(group) < 3:
            continue
        start = max(ranges[index][0] - 0.05, min(p.angle - (p.outer + 4) / p.radius for p in group))
        end = min(ranges[index][1] + 0.05, max(p.angle + (p.outer + 4) / p.radius for p in group))
        inner = max(EGO_RADIUS + 4, min(p.radius - p.outer for p in group) - 5)
        outer = max(p.radius + p.outer for p in group) + 5
        sectors.append(Sector(index, start, end, inner, outer, len(group)))
    return sectors


def _framed(placed: list[Placed], curves: list[Curve], bands: list[float],
            sectors: list[Sector], compact: bool, note: str,
            hubs: list[tuple[float, float]]) -> Layout:
    """Moves the picture so its bounding box starts at the margin, and sizes the figure."""
    boxes: list[Box] = [(-EGO_RADIUS, -EGO_RADIUS, EGO_RADIUS, EGO_RADIUS)]
    for p in placed:
        boxes.append((p.x - p.outer, p.y - p.outer, p.x + p.outer, p.y + p.outer))
        if p.label:
            boxes.append(p.label.box)
    for c in curves:
        xs, ys = c.points[0::2], c.points[1::2]
        # The curve stays inside the triangle of its points; its extreme is halfway
        # between the control point and the chord, so this box holds it.
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for s in sectors:
        boxes.append((-s.outer, -s.outer, s.outer, s.outer))
    x0 = min(b[0] for b in boxes) - MARGIN
    y0 = min(b[1] for b in boxes) - MARGIN
    x1 = max(b[2] for b in boxes) + MARGIN
    y1 = max(b[3] for b in boxes) + MARGIN
    # The figure fills the column: a small map is not blown up, only centred.
    if x1 - x0 < MIN_WIDTH:
        x0, x1 = x0 - (MIN_WIDTH - x1 + x0) / 2, x1 + (MIN_WIDTH - x1 + x0) / 2
    width, height = x1 - x0, y1 - y0
    note_y = 0.0
    if compact and note:
        note_y = height + FONT_SIZE
        height += 1.5 * FONT_SIZE
        width = max(width, text_width(note) + 2 * MARGIN)
    dx, dy = -x0, -y0

    def moved_label(label: Label | None) -> Label | None:
        if label is None:
            return None
        b = label.box
        return Label(label.lines, label.x + dx, label.y + dy, label.anchor,
                     (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy))

    return Layout(
        width=width, height=height, cx=dx, cy=dy, compact=compact,
        placed=[Placed(p.node, p.x + dx, p.y + dy, p.angle, p.radius, p.r, p.outer, p.cluster,
                       moved_label(p.label)) for p in placed],
        curves=[Curve(c.a, c.b, tuple(v + (dx if i % 2 == 0 else dy)  # type: ignore[arg-type]
                                      for i, v in enumerate(c.points)), c.inside, c.count)
                for c in curves],
        bands=bands, sectors=sectors, note_y=note_y,
        hubs=[(x + dx, y + dy) for x, y in hubs],
    )
