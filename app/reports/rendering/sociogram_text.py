"""The sociogram's words: how wide a label prints, and how a long one is cut to fit.

Widths are estimated from the packaged font's advance widths (DejaVu Sans) by
class of character, each class at its widest, so a label's box is never smaller
than its ink; characters from fallback fonts (CJK, emoji) count as wide.
"""

from __future__ import annotations

import unicodedata

import arabic_reshaper
from bidi.algorithm import get_display

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


def _has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def visual_order(text: str) -> str:
    """The text as it appears on a line, left to right, with Arabic letters joined.

    WeasyPrint lays out SVG text one character at a time from left to right, with
    neither the bidirectional algorithm nor shaping, so Hebrew and Arabic came out
    backwards and Arabic letters unjoined. arabic-reshaper picks each Arabic
    letter's joined form (Unicode presentation forms, which DejaVu Sans has), then
    python-bidi's implementation of the Unicode Bidirectional Algorithm (UAX #9),
    mirroring included, gives the display order. Text without right-to-left
    letters comes back unchanged.
    """
    if not _has_right_to_left(text):
        return text
    return str(get_display(arabic_reshaper.reshape(text)))
