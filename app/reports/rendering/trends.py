"""Small multiples for the journey: one measure across the months, one small chart each.

A point per session (the median for the cohort, the value for one person),
an optional band behind it (the middle half of the maps), a line joining
consecutive months. A month with no figure (no map, or suppressed) leaves a
gap and a dash on the axis, never a guessed value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from app.reports.rendering.svg import ACCENT, GRID, MUTED, Svg, num

WIDTH = 320.0
HEIGHT = 132.0
LEFT, RIGHT, TOP, BOTTOM = 30.0, 12.0, 22.0, 22.0
BAND = "#cfe3e5"


@dataclass(frozen=True)
class Point:
    session: int
    value: float | None  # None: no figure this month
    low: float | None = None  # the band (quartiles), when there is one
    high: float | None = None


def trend(points: Sequence[Point], *, title: str, months: int, low: float, high: float,
          fmt: Callable[[float], str]) -> Markup:
    """One panel: ``months`` slots on the x axis, values between ``low`` and ``high``."""
    svg = Svg(WIDTH, HEIGHT, title=title, font_size=10, fluid=True)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    span = (high - low) or 1.0
    slots = max(months, 1)

    def sx(session: int) -> float:
        return LEFT + plot_w * ((session - 0.5) / slots)

    def sy(value: float) -> float:
        clamped = min(max(value, low), high)
        return TOP + plot_h * (1 - (clamped - low) / span)

    svg.line(LEFT, sy(low), WIDTH - RIGHT, sy(low), GRID)
    svg.line(LEFT, sy(high), WIDTH - RIGHT, sy(high), GRID, dash="3 3")
    svg.text(LEFT - 4, sy(high) + 3.5, fmt(high), anchor="end", size=8.5, fill=MUTED)
    svg.text(LEFT - 4, sy(low) + 3.5, fmt(low), anchor="end", size=8.5, fill=MUTED)
    for session in range(1, slots + 1):
        svg.text(sx(session), HEIGHT - 6, str(session), anchor="middle", size=8.5, fill=MUTED)
    for point in points:
        if point.value is not None and point.low is not None and point.high is not None:
            top, bottom = sy(point.high), sy(point.low)
            svg.rect(sx(point.session) - 5, top, 10, max(bottom - top, 1.0), BAND)
    previous: Point | None = None
    for point in sorted(points, key=lambda p: p.session):
        if point.value is None:
            svg.text(sx(point.session), sy(low) - 3, "–", anchor="middle", size=9, fill=MUTED)
            previous = None
            continue
        if previous is not None and previous.value is not None \
                and point.session == previous.session + 1:
            svg.line(sx(previous.session), sy(previous.value), sx(point.session),
                     sy(point.value), ACCENT, 1.6)
        previous = point
    for point in points:
        if point.value is None:
            continue
        x, y = sx(point.session), sy(point.value)
        svg.dot(x, y, 3.2, ACCENT)
        svg.text(x, y - 6, fmt(point.value), anchor="middle", size=8.5, weight="bold")
    return svg.markup()


def nice_ceiling(value: float, steps: Sequence[float] = (5, 10, 20, 25, 50, 100)) -> float:
    """The smallest round number >= value (at least 5), for a count axis."""
    for step in steps:
        if value <= step:
            return float(step)
    return float(100 * -(-value // 100))


__all__ = ["Point", "nice_ceiling", "num", "trend"]
