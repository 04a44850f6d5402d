"""The sociogram's words: how wide a label prints, and how a long one is cut to fit.

Widths are estimated from the packaged font's advance widths (DejaVu Sans) by
class of character, each class at its widest, so a label's box is never smaller
than its ink; characters from fallback fonts (CJK, emoji) count as wide.
"""

from __future__ import annotations

import unicodedata

from app.reports.rendering.svg import shorten_middle

FONT_SIZE = 8.5
LINE_HEIGHT = 1.2 * FONT_SIZE
LABEL_MAX_WIDTH = 84.0

# Advance widths of DejaVu Sans in ems, by class, each the largest of its class.
_NARROW = set("fijlIJ',./:;\\| ")
_WIDE = set("ABCDGHKNRUVXZ&")
_WIDEST = set("mwMOQW#%+<=>@^~")


def char_width(char: str) -> float:
    base = unicodedata.normalize("NFD", char)[:1] or char
    if base.isascii():
        if base in _NARROW:
            return 0.36
        if base in _WIDEST:
            return 1.0
        return 0.78 if base in _WIDE else 0.64
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if unicodedata.category(char) in ("So", "Sk", "Cs"):
        return 1.3  # emoji from a fallback font run wider than a square
    return 0.8


def text_width(text: str, size: float = FONT_SIZE) -> float:
    return sum(char_width(c) for c in text) * size


def _fit(text: str, width: float) -> str:
    """The text, or as much of both ends as fits in the width."""
    limit = len(text)
    while limit > 4 and text_width(shorten_middle(text, limit)) > width:
        limit -= 1
    return shorten_middle(text, limit)


def _wrapped(words: list[str], width: float) -> tuple[str, ...] | None:
    """The words on one line, or on two balanced lines, if that fits the width."""
    text = " ".join(words)
    if text_width(text) <= width:
        return (text,)
    if len(words) == 1:
        return None
    lines = min(
        ((" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))),
        key=lambda pair: max(text_width(pair[0]), text_width(pair[1])),
    )
    return lines if max(text_width(line) for line in lines) <= width else None


def label_lines(label: str, width: float = LABEL_MAX_WIDTH) -> tuple[str, ...]:
    """One line if it fits, else two; else later words become initials ("Maria G. E."),
    and as a last resort each line keeps both of its ends around an ellipsis."""
    words = label.split()
    if not words:
        return ("",)
    for last in range(len(words), 0, -1):
        # Words from `last` on are initials; the first word always stays whole.
        trial = words[:last] + [w[0] + "." for w in words[last:]]
        lines = _wrapped(trial, width)
        if lines is not None:
            return lines
    lines = _wrapped(words[:1] + [w[0] + "." for w in words[1:]], 2 * width) or (words[0],)
    if len(lines) == 1 and len(words) > 1:
        lines = (words[0], " ".join(w[0] + "." for w in words[1:]))
    return tuple(_fit(line, width) for line in lines[:2])


_RTL = {"R", "AL"}
_MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def _strength(char: str) -> str | None:
    """'R' for right-to-left letters, 'L' for left-to-right letters and digits, else None."""
    kind = unicodedata.bidirectional(char)
    if kind in _RTL:
        return "R"
    if kind in ("L", "EN", "AN"):
        return "L"
    return None


def visual_order(text: str) -> str:
    """The text in the order its characters appear on a line, left to right.

    WeasyPrint lays out SVG text one character at a time from left to right, with
    no bidirectional algorithm, so Hebrew and Arabic came out backwards. This is
    the Unicode algorithm for one line of plain text without explicit embeddings:
    the base direction is the first strong character's; a run of neutrals takes
    the direction of the strong characters around it when they agree, else the
    base; right-to-left runs are reversed, with their brackets mirrored.
    Combining marks stay after their base character. Text without right-to-left
    letters comes back unchanged.
    """
    if not any(_strength(c) == "R" for c in text):
        return text
    clusters: list[str] = []
    for char in text:
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    strong = [_strength(c[0]) for c in clusters]
    base = next(s for s in strong if s is not None)
    resolved: list[str] = []
    for index, direction in enumerate(strong):
        if direction is None:
            before = next((s for s in reversed(strong[:index]) if s), base)
            after = next((s for s in strong[index + 1:] if s), base)
            direction = before if before == after else base
        resolved.append(direction)
    runs: list[tuple[str, list[str]]] = []
    for cluster, direction in zip(clusters, resolved, strict=True):
        if runs and runs[-1][0] == direction:
            runs[-1][1].append(cluster)
        else:
            runs.append((direction, [cluster]))
    pieces = ["".join(reversed(items)).translate(_MIRRORED) if direction == "R"
              else "".join(items) for direction, items in runs]
    return "".join(reversed(pieces) if base == "R" else pieces)
