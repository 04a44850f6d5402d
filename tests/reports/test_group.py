"""The group report: figures only, never a contact label or a name."""

from __future__ import annotations

from typing import Any

import pytest

from app.reports.rendering.render import build_html, render_report
from tests.reports.report_support import (
    GROUP_SECTIONS_EN,
    assert_in_order,
    group_inputs,
    pdf_pages,
    pdf_text,
    sample_map,
    squash,
)


def labelled_map(seed: int, owner: int) -> dict[str, Any]:
    network = sample_map(seed, 12)
    for index, contact in enumerate(network["contacts"]):
        contact["label"] = f"Qzx{owner}Label{index}"
    return network


@pytest.fixture(scope="module")
def group() -> tuple[dict[str, Any], bytes]:
    maps = {str(owner): labelled_map(100 + owner, owner) for owner in range(6)}
    previous = {str(owner): labelled_map(200 + owner, owner) for owner in range(5)}
    inputs = group_inputs(maps, previous=previous)
    return inputs, render_report("group", inputs).pdf


def test_two_to_four_pages_with_sections_in_order(group: tuple[dict[str, Any], bytes]) -> None:
    _inputs, pdf = group
    pages = pdf_pages(pdf)
    assert 2 <= len(pages) <= 4
    assert_in_order("\n".join(pages), GROUP_SECTIONS_EN)
    assert f"page {len(pages)} of {len(pages)}" in pages[-1]


def test_no_contact_label_anywhere(group: tuple[dict[str, Any], bytes]) -> None:
    inputs, pdf = group
    flat = squash(pdf_text(pdf))
    assert "Qzx" not in flat
    html = build_html("group", inputs)
    assert "Qzx" not in html
    for network in inputs["maps"].values():
        for commitment in network["commitments"]:
            assert squash(commitment["text"]) not in flat


def test_figures_are_present(group: tuple[dict[str, Any], bytes]) -> None:
    inputs, pdf = group
    text = pdf_text(pdf)
    participation = inputs["participation"]
    assert f"{participation['invited']}invited" in squash(text)
    assert f"{participation['opened']}openedtheirlink" in squash(text)
    total_contacts = sum(len(m["contacts"]) for m in inputs["maps"].values())
    assert f"All {total_contacts} contacts of all submitted maps." in text
    assert "Median change among the 5 participants" in text


def test_small_group_is_suppressed() -> None:
    maps = {str(owner): labelled_map(300 + owner, owner) for owner in range(2)}
    pdf = render_report("group", group_inputs(maps)).pdf
    text = pdf_text(pdf)
    assert "fewer than 3 — not shown" in text
    assert "Fewer than 3 maps were submitted" in text
    assert "Qzx" not in squash(text)
    assert "This is the first session with maps" in text
