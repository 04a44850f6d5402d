"""The group report: figures only, never a contact label or a name."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.analysis import count_shown
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
    # Company or growth per person: the median of each map's growth share, not pooled.
    growth = sorted(
        sum(c["purpose"] in ("growth", "both") for c in m["contacts"]) / len(m["contacts"])
        for m in inputs["maps"].values()
    )
    median = (growth[2] + growth[3]) / 2
    assert f"the median map has {round(median * 100)}% of its contacts there for growth" in (
        " ".join(text.split()))
    assert "The dashed line marks the program's aim" in " ".join(text.split())
    assert "Median change among the 5 participants" in text
    assert "Commitments made last session" in text
    assert "Facilitator's copy" not in text


def test_every_count_shown_obeys_the_rule(group: tuple[dict[str, Any], bytes]) -> None:
    """Any "k of n" the PDF prints is 0, n, or leaves at least 3 on both sides."""
    _inputs, pdf = group
    pairs = re.findall(r"(\d+) of (\d+) · \d+ ?%", " ".join(pdf_text(pdf).split()))
    assert pairs  # the common gaps print their counts this way
    for k, n in pairs:
        assert count_shown(int(k), int(n)), f"{k} of {n}"
    text = pdf_text(pdf)
    assert "lowest" not in text.replace("never the lowest or highest", "")


def test_facilitator_copy_says_so_on_every_page(group: tuple[dict[str, Any], bytes]) -> None:
    inputs, handout = group
    copy = render_report("group", {**inputs, "facilitator_copy": True}).pdf
    pages = pdf_pages(copy)
    note = "Facilitator's copy with unsuppressed counts: not for hand-out"
    assert len(pages) >= 2
    for page in pages:
        assert note in " ".join(page.split())
    assert "Qzx" not in squash(pdf_text(copy))
    # the hand-out suppresses some count the copy shows
    suppressed = "not shown: fewer than 3, or all but fewer than 3"
    assert suppressed in " ".join(pdf_text(handout).split()).lower()
    shown_pairs = re.findall(r"(\d+) of (\d+) · \d+ ?%", " ".join(pdf_text(copy).split()))
    assert any(not count_shown(int(k), int(n)) for k, n in shown_pairs)


def test_small_group_is_suppressed() -> None:
    maps = {str(owner): labelled_map(300 + owner, owner) for owner in range(2)}
    pdf = render_report("group", group_inputs(maps)).pdf
    text = pdf_text(pdf)
    assert "not shown: fewer than 3, or all but fewer than 3" in " ".join(text.split())
    assert "Fewer than 3 maps were submitted" in text
    assert "Qzx" not in squash(text)
    assert "This is the first session with maps" in text


def test_a_small_groups_facilitator_copy_does_not_deny_its_counts() -> None:
    """Under 3 maps the hand-out shows participation only; the facilitator's copy shows
    the counts, so it must not say the figures are not shown."""
    maps = {str(owner): labelled_map(300 + owner, owner) for owner in range(2)}
    inputs = {**group_inputs(maps), "facilitator_copy": True}
    text = " ".join(pdf_text(render_report("group", inputs).pdf).split())
    assert re.search(r"\d+ of 2 · \d+ ?%", text)  # counts shown
    assert "so the group figures are not shown" not in text
    assert "Fewer than 3 maps were submitted" in text
    assert "Qzx" not in squash(text)
