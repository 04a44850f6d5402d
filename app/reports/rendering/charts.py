"""Report charts: SVG for the graphics, HTML for the words beside them.

Measured with WeasyPrint 70 on the 2-core CI machine:

- pygal: six small horizontal bar charts cost 0.42 s against 0.12 s for the
  same bars written by hand (the whole reference document takes ~0.37 s);
  its SVG carries CSS, decorations and text for every tick.
- SVG <text> is laid out letter by letter: ~0.6 ms per element plus ~0.18 ms
  per character. An HTML line costs ~1.5 ms whatever its length. So short
  numbers stay in the SVG and row labels go in an HTML column (one
  ``white-space: pre`` block, a line per row) whose line height equals the
  SVG row height, so both line up at the SVG's natural size (1 unit = 1 px).
- Shapes of one colour merge into one <path> (see svg.py): a path segment
  costs ~0.02 ms, a separate element ~0.5 ms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.reports.rendering.svg import ACCENT, GRID, INK, MUTED, WARN, Svg, num, truncate

CHART_WIDTH = 660.0  # px; fits A4 (673 px) and Letter (695 px) text columns
LABEL_WIDTH = 170.0
CHAR_EM = 0.6  # DejaVu Sans averages a little under 0.6 em per character
LABEL_PX = 11.0  # the label column's font size (8.25pt) in px


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_EM


def fit(text: str, width: float, size: float = LABEL_PX) -> str:
    return truncate(text, max(4, int(width / (size * CHAR_EM))))


@dataclass(frozen=True)
class Segment:
    label: str
    value: float
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed or unknown; the note says why
    note: str = ""  # shown in the value column; defaults to the formatted value
    highlight: bool = False


@dataclass(frozen=True)
class Box:
    label: str
    n: int
    low: float
    q1: float
    median: float
    q3: float
    high: float


def _column(lines: Sequence[tuple[str, bool]], css_class: str, left: float, width: float,
            row_h: float) -> str:
    body = "\n".join(
        f'<span class="warn">{escape(text)}</span>' if warn else str(escape(text))
        for text, warn in lines
    )
    return (f'<div class="{css_class}" style="left:{num(left)}px;width:{num(width)}px;'
            f'line-height:{num(row_h)}px">{body}</div>')


def frame(svg: Svg, *, left: Sequence[tuple[str, bool]] = (),
          right: Sequence[tuple[str, bool]] = (), row_h: float, left_w: float = LABEL_WIDTH,
          right_w: float = 0.0) -> Markup:
    """Labels | graphic | values, side by side and never split across pages.

    The columns are absolutely placed beside the SVG rather than floated or
    flexed: flex cost ~35 ms a chart, and floats next to SVG misplace
    following text in WeasyPrint 70.
    """
    gutter = 8.0
    parts = [f'<div class="hc" style="height:{num(svg.height)}px">']
    if left:
        parts.append(_column([(fit(t, left_w - gutter), w) for t, w in left], "hc-l", 0,
                             left_w - gutter, row_h))
    parts.append(svg.markup(f"margin-left:{num(left_w)}px"))
    if right:
        parts.append(_column(right, "hc-r", left_w + svg.width + gutter, right_w - gutter,
                             row_h))
    parts.append("</div>")
    # Every piece above is our own markup or passed through escape().
    return Markup("".join(parts))  # noqa: S704


def balance_bar(segments: Sequence[Segment], *, title: str, fmt: Callable[[float], str],
                left: str = "", right: str = "", marker: float | None = None,
                width: float = CHART_WIDTH) -> Markup:
    """One wide 100% bar, e.g. company | both | growth, with an optional target mark.

    ``left`` and ``right`` caption the two ends. ``marker`` is a share measured
    from the right end, so a target for "growth or both" lines up with the
    segments on the right.
    """
    svg = Svg(width, 56, title=title, font_size=11, fluid=True)
    svg.text(0, 10, truncate(left, 40), size=10, fill=MUTED)
    svg.text(width, 10, truncate(right, 40), anchor="end", size=10, fill=MUTED)
    top, height = 20.0, 28.0
    total = sum(s.value for s in segments)
    if total <= 0:
        svg.rect(0, top, width, height, GRID)
        return svg.markup()
    x = 0.0
    for segment in segments:
        w = width * segment.value / total
        svg.rect(x, top, w, height, segment.colour)
        share = fmt(segment.value / total)
        if w >= text_width(share, 11) + 8:
            svg.text(x + w / 2, top + 18.5, share, anchor="middle", weight="bold", fill="#fff")
        x += w
    if marker is not None:
        mx = width * (1 - marker)
        svg.rect(mx - 1, top - 6, 2, 9, INK)
        svg.rect(mx - 1, top + height - 3, 2, 9, INK)
    return svg.markup()


def stacked_row(segments: Sequence[Segment], *, title: str, width: float) -> Markup:
    """A 100% bar with the counts inside; its legend is HTML, written by the template."""
    svg = Svg(width, 20, title=title, font_size=10.5)
    total = sum(s.value for s in segments)
    if total <= 0:
        svg.rect(0, 1, width, 18, GRID)
        return svg.markup()
    x = 0.0
    for segment in segments:
        if segment.value <= 0:
            continue
        w = width * segment.value / total
        svg.rect(x, 1, w, 18, segment.colour)
        count = f"{segment.value:g}"
        if w >= text_width(count, 10.5) + 6:
            svg.text(x + w / 2, 14, count, anchor="middle", fill="#fff", weight="bold")
        x += w
    return svg.markup()


def bar_list(bars: Sequence[Bar], *, title: str, scale_max: float, fmt: Callable[[float], str],
             label_width: float = LABEL_WIDTH, value_width: float = 70.0, colour: str = ACCENT,
             row_h: float = 18.0, width: float = CHART_WIDTH) -> Markup:
    """Horizontal bars: labels and values in HTML columns, bars in SVG."""
    plot_w = width - label_width - value_width
    svg = Svg(plot_w, row_h * len(bars), title=title)
    for index, bar in enumerate(bars):
        y = index * row_h + 3
        svg.rect(0, y, plot_w, row_h - 6, "#f1f3f6")
        if bar.value is not None and scale_max > 0:
            w = plot_w * min(bar.value / scale_max, 1.0)
            svg.rect(0, y, w, row_h - 6, WARN if bar.highlight else colour)
    values = [(bar.note or (fmt(bar.value) if bar.value is not None else ""), bar.highlight)
              for bar in bars]
    return frame(svg, left=[(b.label, b.highlight) for b in bars], right=values, row_h=row_h,
                 left_w=label_width, right_w=value_width)


def box_plots(boxes: Sequence[Box | tuple[str, str]], *, title: str, low: float, high: float,
              fmt: Callable[[float], str], ticks: Sequence[float],
              width: float = CHART_WIDTH, marker: float | None = None) -> Markup:
    """P10, quartiles, median, P90 on one shared axis; a (label, note) row is suppressed.

    ``marker`` draws a dashed line across all rows at that value (an aim).
    """
    row_h, value_w = 20.0, 176.0
    plot_w = width - LABEL_WIDTH - value_w
    pad = 16.0  # keeps the end whiskers and the tick labels ("100%") inside the SVG
    svg = Svg(plot_w, row_h * len(boxes) + 16, title=title, font_size=9.5)
    span = (high - low) or 1.0

    def sx(value: float) -> float:
        return pad + (plot_w - 2 * pad) * (min(max(value, low), high) - low) / span

    bottom = row_h * len(boxes)
    for tick in ticks:
        svg.line(sx(tick), 0, sx(tick), bottom, GRID, 0.8)
        svg.text(sx(tick), bottom + 12, fmt(tick), anchor="middle", fill=MUTED)
    values: list[tuple[str, bool]] = []
    for index, box in enumerate(boxes):
        mid = index * row_h + row_h / 2
        if isinstance(box, tuple):
            svg.rect(sx(low), mid - 0.4, sx(high) - sx(low), 0.8, GRID)
            values.append((box[1], False))
            continue
        svg.line(sx(box.low), mid, sx(box.high), mid, MUTED, 1)
        svg.line(sx(box.low), mid - 4, sx(box.low), mid + 4, MUTED, 1)
        svg.line(sx(box.high), mid - 4, sx(box.high), mid + 4, MUTED, 1)
        svg.rect(sx(box.q1), mid - 6, max(sx(box.q3) - sx(box.q1), 1.5), 12, "#cfe3e6")
        svg.line(sx(box.median), mid - 7, sx(box.median), mid + 7, ACCENT, 2.6)
        values.append((fmt(box.median), False))
    if marker is not None:
        svg.line(sx(marker), 0, sx(marker), bottom, WARN, 1.6, dash="4 3")
    labels = [(b[0] if isinstance(b, tuple) else b.label, False) for b in boxes]
    return frame(svg, left=labels, right=values, row_h=row_h, right_w=value_w)


def dumbbells(rows: Sequence[tuple[str, float, float, str]], *, title: str,
              width: float = CHART_WIDTH) -> Markup:
    """Then and now on a 0–1 axis: a grey dot for last time, a coloured one for now.

    Rows are (label, before, after, text for the value column).
    """
    row_h, value_w, pad = 20.0, 110.0, 8.0
    plot_w = width - LABEL_WIDTH - value_w
    svg = Svg(plot_w, row_h * len(rows), title=title)

    def sx(value: float) -> float:
        return pad + (plot_w - 2 * pad) * min(max(value, 0.0), 1.0)

    for fraction in (0.0, 0.5, 1.0):
        svg.line(sx(fraction), 0, sx(fraction), row_h * len(rows), GRID, 0.8)
    for index, (_label, before, after, _text) in enumerate(rows):
        mid = index * row_h + row_h / 2
        svg.line(sx(before), mid, sx(after), mid, "#9fb4c9", 3)
        svg.dot(sx(before), mid, 4.2, "#b9c1cc")
        svg.dot(sx(after), mid, 4.8, ACCENT)
    return frame(svg, left=[(row[0], False) for row in rows],
                 right=[(row[3], False) for row in rows], row_h=row_h, right_w=value_w)


def diverging_bars(rows: Sequence[tuple[str, float | None, str]], *, title: str, limit: float,
                   positive_good: Sequence[bool], width: float = CHART_WIDTH) -> Markup:
    """Changes around zero: (label, delta scaled to ``limit`` or None, text)."""
    row_h, value_w = 19.0, 170.0
    plot_w = width - LABEL_WIDTH - value_w
    zero = plot_w / 2
    svg = Svg(plot_w, row_h * len(rows), title=title)
    svg.line(zero, 0, zero, row_h * len(rows), MUTED, 0.8)
    for index, (_label, delta, _text) in enumerate(rows):
        mid = index * row_h + row_h / 2
        if delta is not None and limit > 0:
            w = (plot_w / 2 - 4) * max(-1.0, min(1.0, delta / limit))
            colour = ACCENT if (delta >= 0) == positive_good[index] else WARN
            svg.rect(min(zero, zero + w), mid - 5, abs(w), 10, colour)
    return frame(svg, left=[(label, False) for label, _d, _t in rows],
                 right=[(text, False) for _l, _d, text in rows], row_h=row_h, right_w=value_w)
