"""Right-to-left names on the map read right to left in the PDF, as typed on screen.

WeasyPrint draws SVG text one letter at a time, left to right, without shaping; a
Hebrew or Arabic label printed as typed would read backwards, and Arabic letters
would stand apart instead of joining.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pdfplumber

from app.reports.rendering.render import build_html, render_report
from app.reports.rendering.sociogram_text import visual_order
from tests.reports.report_support import individual_inputs, sample_map

RTL_LABELS = ["שרה כהן", "محمد علي", "דנה 2"]
# Hebrew and Arabic letters, and Arabic presentation forms (the joined shapes).
RTL_CHAR = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _map() -> dict[str, Any]:
    network_map = sample_map(9, 8)
    for contact, label in zip(network_map["contacts"], RTL_LABELS, strict=False):
        contact["label"] = label
        contact["closeness"] = 5
    return network_map


def _rtl_lines(pdf: bytes) -> list[str]:
    """Each line of right-to-left letters on the map page, read right to left."""
    lines: dict[tuple[int, int], list[tuple[float, str]]] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages):
            for char in page.chars:
                if RTL_CHAR.match(char["text"]):
                    key = (number, round(char["top"]))
                    lines.setdefault(key, []).append((char["x0"], char["text"]))
    # NFKC reads each joined Arabic shape back as its letter.
    return [unicodedata.normalize("NFKC", "".join(text for _x, text in sorted(chars, reverse=True)))
            for chars in lines.values()]


def test_right_to_left_labels_read_right_to_left_in_the_pdf() -> None:
    pdf = render_report("individual", individual_inputs(_map())).pdf
    read = _rtl_lines(pdf)
    for label in RTL_LABELS:
        letters = "".join(RTL_CHAR.findall(label))
        assert letters in read, (label, read)


def test_arabic_letters_are_joined_in_the_pdf() -> None:
    pdf = render_report("individual", individual_inputs(_map())).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        arabic = [char["text"] for page in document.pages for char in page.chars
                  if len(char["text"]) == 1 and "ARABIC" in unicodedata.name(char["text"], "")]
    # محمد علي: every letter in its initial, medial or final form, none isolated
    # (ع, ل and ي join on both sides; م, ح and د on at least one).
    assert len(arabic) == 7, arabic
    assert all("FORM" in unicodedata.name(char) for char in arabic), arabic
    assert not any("ISOLATED" in unicodedata.name(char) for char in arabic), arabic


def test_the_screen_keeps_labels_as_typed() -> None:
    html = build_html("individual", individual_inputs(_map()), screen=True)
    svg = html[html.index("<svg"):]
    for label in RTL_LABELS:
        assert label in svg


def test_visual_order_keeps_left_to_right_text_and_numbers() -> None:
    assert visual_order("M.R. 🦊") == "M.R. 🦊"
    assert visual_order("דנה 2") == "2 הנד"
    assert visual_order("Dr. שרה") == "Dr. הרש"
    assert visual_order("(שרה)") == "(הרש)"  # brackets mirrored, so they still enclose
