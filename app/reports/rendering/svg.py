"""A tiny SVG writer for the report charts.

WeasyPrint lays out every SVG element on its own, and text is the dearest
(about 1.7 ms per <text> against 0.02 ms per segment of one combined <path>,
measured on the 2-core CI machine). So charts are written by hand: shapes of
one colour are merged into a single path, and text is used sparingly.
Every piece of text goes through ``escape``; the result is ``Markup`` so the
autoescaping template inserts it as is.
"""

from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup, escape

# One family only: each extra fallback name costs fontconfig work on every <text>.
FONT_FAMILY = "Wellspring Sans"

# Colours shared by all charts; the CSS legend swatches use the same values.
PURPOSE_COLOURS = {"company": "#4a6fa5", "growth": "#2f9e73", "both": "#d99a2b"}
UNKNOWN_COLOUR = "#a7b0bd"
INK = "#26334d"
MUTED = "#6b7585"
GRID = "#dfe3ea"
ACCENT = "#1e6f78"
WARN = "#c2452d"
SERIES = ("#1e6f78", "#4a6fa5", "#2f9e73", "#d99a2b", "#8a6bb8", "#c2452d", "#6b7585", "#3f9fb5")


def num(value: float) -> str:
    """Compact coordinates: one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shorten_middle(text: str, limit: int) -> str:
    """Keep both ends: labels like "Anna (book club)" and "Anna (gym)" stay distinct."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    tail = max(3, limit // 3)
    return text[: limit - tail - 1].rstrip() + "…" + text[-tail:].lstrip()


class Svg:
    """Accumulates elements; shapes that share a style collapse into one <path>."""

    def __init__(self, width: float, height: float, *, title: str = "", font_size: float = 11,
                 fluid: bool = False):
        self.width = width
        self.height = height
        self.title = title
        self.font_size = font_size
        self.fluid = fluid  # scale to the column width instead of 1 unit = 1 px
        self._parts: list[str] = []
        # style attributes -> path data; emitted before text so text is on top.
        self._paths: dict[str, list[str]] = defaultdict(list)
        self._dots: dict[str, list[str]] = defaultdict(list)  # above lines, below text
        self._over: list[str] = []

    # Shapes merged by style -------------------------------------------------------
    def rect(self, x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> None:
        if w <= 0 or h <= 0:
            return
        style = f'fill="{fill}"{extra}'
        self._paths[style].append(f"M{num(x)} {num(y)}h{num(w)}v{num(h)}h{num(-w)}z")

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1,
             dash: str = "") -> None:
        style = f'fill="none" stroke="{stroke}" stroke-width="{num(width)}"'
        if dash:
            style += f' stroke-dasharray="{dash}"'
        self._paths[style].append(f"M{num(x1)} {num(y1)}L{num(x2)} {num(y2)}")

    def path(self, d: str, *, fill: str = "none", stroke: str = "", width: float = 1) -> None:
        """Any path data (curves, arcs), merged with the others of the same style."""
        style = f'fill="{fill}"'
        if stroke:
            style += f' stroke="{stroke}" stroke-width="{num(width)}"'
        self._paths[style].append(d)

    def dot(self, cx: float, cy: float, r: float, fill: str, *, stroke: str = "#fff",
            stroke_width: float = 1, dash: str = "") -> None:
        """A circle drawn as two arcs, merged with every other dot of the same style."""
        style = f'fill="{fill}" stroke="{stroke}" stroke-width="{num(stroke_width)}"'
        if dash:
            style += f' stroke-dasharray="{dash}"'
        d = num(2 * r)
        self._dots[style].append(
            f"M{num(cx - r)} {num(cy)}a{num(r)} {num(r)} 0 1 0 {d} 0"
            f"a{num(r)} {num(r)} 0 1 0 -{d} 0z"
        )

    def text(self, x: float, y: float, content: str, *, anchor: str = "start", size: float = 0,
             weight: str = "", fill: str = INK) -> None:
        attrs = f'x="{num(x)}" y="{num(y)}"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        if size:
            attrs += f' font-size="{num(size)}"'
        if weight:
            attrs += f' font-weight="{weight}"'
        if fill != INK:
            attrs += f' fill="{fill}"'
        self._over.append(f"<text {attrs}>{escape(content)}</text>")

    def markup(self, style: str = "") -> Markup:
        style_attr = f' style="{style}"' if style else ""
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="{"fluid" if self.fluid else "chart"}"'
            f'{style_attr} '
            f'viewBox="0 0 {num(self.width)} {num(self.height)}" '
            f'width="{num(self.width)}" height="{num(self.height)}" '
            f'font-family="{FONT_FAMILY}" font-size="{num(self.font_size)}" fill="{INK}">'
        )
        title = f"<title>{escape(self.title)}</title>" if self.title else ""
        paths = "".join(
            f'<path d="{"".join(d)}" {style}/>'
            for group in (self._paths, self._dots)
            for style, d in group.items()
        )
        # Built from numbers, our own attribute values and escape()d text only.
        return Markup(head + title + paths + "".join(self._over) + "</svg>")  # noqa: S704
