"""The individual report, read back from the PDF."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
import weasyprint
from pypdf import PdfReader

from app.analysis import NetworkMap, Program, analyze_map
from app.reports.rendering import render
from app.reports.rendering.fetcher import ASSETS_URL, LockedURLFetcher
from app.reports.rendering.render import build_html, render_report
from app.reports.rendering.templating import report_environment
from tests.reports.report_support import (
    AS_OF,
    INDIVIDUAL_SECTIONS_EN,
    INDIVIDUAL_SECTIONS_IT,
    assert_in_order,
    individual_inputs,
    pdf_pages,
    pdf_text,
    sample_map,
    squash,
)
from tests.texts import en

LONG_NAME = "Maria Giovanna Esposito-Castellammare di Stabia della Valle d'Aosta Ünïcödé"


@pytest.fixture(scope="module")
def english() -> tuple[dict[str, Any], bytes]:
    inputs = individual_inputs(sample_map(1, 16), name="Zoë Ångström-Nguyễn")
    return inputs, render_report("individual", inputs).pdf


def test_two_to_four_pages_with_sections_in_order(english: tuple[dict[str, Any], bytes]) -> None:
    _inputs, pdf = english
    pages = pdf_pages(pdf)
    assert 2 <= len(pages) <= 4
    assert_in_order("\n".join(pages), INDIVIDUAL_SECTIONS_EN)
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in page


def test_participants_figures_are_present(english: tuple[dict[str, Any], bytes]) -> None:
    inputs, pdf = english
    text = pdf_text(pdf)
    program = Program.model_validate(inputs["program"])
    network = NetworkMap.model_validate(inputs["map"])
    analysis = analyze_map(network, program, AS_OF)
    assert "Zoë Ångström-Nguyễn" in text
    assert f"{len(network.contacts)}peopleonyourmap" in squash(text)
    growth = round(Decimal(str(analysis.metrics["growth_share"])) * 100)
    assert f"{growth}%" in text
    for gap in analysis.gaps[:3]:
        assert squash(en(gap.title)) in squash(text)
    for item in analysis.reconnect[:3]:
        assert item.label in text
    for commitment in network.commitments:
        assert squash(commitment.text) in squash(text)
    assert "Spring cohort" in text  # running header


def test_only_the_packaged_fonts_are_used(english: tuple[dict[str, Any], bytes]) -> None:
    """Every font in the PDF is our @font-face family: nothing fell back to system fonts."""
    _inputs, pdf = english
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert names and all(name.startswith("Wellspring-Sans") for name in names), names


def test_first_report_says_there_is_nothing_to_compare() -> None:
    text = pdf_text(render_report("individual", individual_inputs(previous=False)).pdf)
    assert "This is your first map in the course" in text


def test_italian_report() -> None:
    pdf = render_report("individual", individual_inputs(language="it")).pdf
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    assert_in_order(text, INDIVIDUAL_SECTIONS_IT)
    assert f"pagina 1 di {len(pages)}" in pages[0]
    assert "Per la mia crescita" in text  # program labels follow the cohort's language
    assert "marzo 2026" in text
    assert "Where to focus" not in text


def test_letter_page_size() -> None:
    reader = PdfReader(io.BytesIO(render_report(
        "individual", individual_inputs(page_size="Letter", previous=False)).pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    a4 = PdfReader(io.BytesIO(render_report("individual", individual_inputs()).pdf))
    box = a4.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def _text_boxes(box: Any) -> Any:
    for child in getattr(box, "children", []) or []:
        if type(child).__name__ == "TextBox":
            yield child
        yield from _text_boxes(child)


def test_long_labels_names_and_accents_do_not_overflow() -> None:
    network = sample_map(4, 20)
    for index, contact in enumerate(network["contacts"]):
        contact["label"] = f"Àèìòù Çà Ñandú Straße Øresund Łódź {index:03d}"[:40]
        contact["last_contact"] = "2022-01"
    network["commitments"] = [{"text": "Ŵ" * 120 + " and a very long commitment " * 6,
                               "contact": network["contacts"][0]["id"]}]
    inputs = individual_inputs(network, name=LONG_NAME, cohort="C" * 200)
    stylesheet = render.report_stylesheet("en", "A4")
    document = weasyprint.HTML(
        string=build_html("individual", inputs), base_url=ASSETS_URL,
        url_fetcher=LockedURLFetcher(),
    ).render(font_config=render._font_config(), stylesheets=[stylesheet])
    assert 2 <= len(document.pages) <= 4
    for page in document.pages:
        page_box = page._page_box
        right = page_box.margin_width() - page_box.margin_right + 0.5
        for text_box in _text_boxes(page_box):
            assert text_box.position_x + text_box.width <= right, text_box.text
    text = pdf_text(document.write_pdf())
    assert LONG_NAME in text.replace("\n", " ")
    assert "Łódź 001" in text


def test_empty_map_renders() -> None:
    pdf = render_report("individual", individual_inputs(
        {"contacts": [], "ties": [], "commitments": []}, previous=False)).pdf
    text = pdf_text(pdf)
    assert "Your map is empty so far" in text
    assert 1 <= len(pdf_pages(pdf)) <= 3


def test_report_environment_autoescapes() -> None:
    env = report_environment("en")
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
