"""Print that sorts itself: every page names its owner, the session and "page X of Y";
other scripts print in real glyphs; the PDF is tagged with its title and language."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.reports.rendering.render import render_report
from tests.reports.report_support import group_inputs, individual_inputs, sample_map


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(("language", "page_word", "of_word"), [("en", "page", "of"),
                                                                ("it", "pagina", "di")])
def test_every_page_names_the_participant_the_session_and_its_number(
    language: str, page_word: str, of_word: str
) -> None:
    inputs = individual_inputs(sample_map(3, contacts=30), language=language,
                               name="Zoë Quartermaine", cohort="Spring cohort")
    pages = _pages(render_report("individual", inputs).pdf)
    assert len(pages) >= 2
    session = "3 of 8" if language == "en" else "3 di 8"
    for number, text in enumerate(pages, start=1):
        assert "Zoë Quartermaine · Spring cohort" in text, (number, text[:200])
        assert session in text, number
        assert f"{page_word} {number} {of_word} {len(pages)}" in text, number


def test_the_group_report_numbers_its_own_pages() -> None:
    maps = {str(index): sample_map(index) for index in range(6)}
    pages = _pages(render_report("group", group_inputs(maps)).pdf)
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text


def test_chinese_japanese_and_emoji_labels_print_in_real_fonts() -> None:
    network = sample_map(2)
    network["contacts"][0]["label"] = "王小明"
    network["contacts"][1]["label"] = "さくら🌸"
    pdf = render_report("individual", individual_inputs(network)).pdf
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert any(re.search("CJK", name) for name in fonts), fonts
    assert any("Emoji" in name for name in fonts), fonts


def test_reports_are_tagged_with_title_and_language() -> None:
    pdf = render_report("individual", individual_inputs(language="it")).pdf
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]) == "it"
    assert reader.metadata is not None and "Giulia Bianchi" in str(reader.metadata.title)
