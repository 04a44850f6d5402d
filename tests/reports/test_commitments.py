"""One truth for commitments in the individual report: what the participant ticked.

The dates on the map only add a hint ("you were in touch with them since").
"""

from __future__ import annotations

import re

from app.reports.rendering.render import build_html
from tests.reports.report_support import individual_inputs


def commitments_section(html: str) -> str:
    start = html.find("Last month's commitments")
    assert start >= 0
    return " ".join(re.sub(r"<[^>]+>", " ", html[start:start + 1500]).split())


def test_ticks_decide_and_dates_only_hint() -> None:
    inputs = individual_inputs(previous=True)
    before = inputs["previous"]["map"]
    named = before["contacts"][0]["id"]
    before["commitments"] = [{"text": "Coffee with a friend", "contact": named},
                             {"text": "Join a community"}, {"text": "Write a post"}]
    current = inputs["map"]["contacts"]
    now = next((c for c in current if c["id"] == named), current[0])
    now["id"], now["last_contact"] = named, inputs["as_of"][:7]
    # The dates say they met; the participant ticked "not kept". No contact: ticked kept.
    inputs["commitment_review"] = [{"text": "Coffee with a friend", "kept": False},
                                   {"text": "Join a community", "kept": True}]
    text = commitments_section(build_html("individual", inputs))
    assert "✗ not kept · Coffee with a friend (you were in touch with them since)" in text
    assert "✓ kept · Join a community" in text
    assert "? not sure · Write a post" in text  # not answered counts as not sure
