"""The individual report never contradicts itself: a tick, a list and a next step
agree with the figure beside them, on maps the typical samples do not produce."""

from __future__ import annotations

from typing import Any

from app.reports.rendering.individual import individual_context
from app.reports.rendering.render import build_html
from tests.reports.report_support import individual_inputs, sample_map


def _context(network_map: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    return individual_context(individual_inputs(network_map, language=lang))


def _row(ctx: dict[str, Any], label: str) -> dict[str, Any]:
    return next(row for row in ctx["tiles"] if row["label"] == label)


def _reconnect_section(network_map: dict[str, Any], lang: str) -> str:
    html = build_html("individual", individual_inputs(network_map, language=lang))
    section = html[html.index('<section id="reconnect">'):]
    return section[:section.index("</section>")]


def _percent(value: str) -> float:
    return float(value.rstrip("%")) / 100


def test_the_outside_tick_agrees_with_the_share_shown() -> None:
    # A draft: two outside, one inside, the rest not filled in yet.
    network_map = sample_map(4, 10)
    for index, contact in enumerate(network_map["contacts"]):
        contact["organization"] = ("outside", "outside", "inside")[index] if index < 3 else None
    row = _row(_context(network_map), "Outside your organization")
    aim = _percent(row["aim"].removeprefix("at least "))
    assert row["met"] == (_percent(row["value"]) >= aim)


def test_an_empty_map_meets_no_aim() -> None:
    ctx = _context({"contacts": [], "ties": [], "commitments": []})
    assert not any(row["met"] for row in ctx["tiles"])


def test_dormant_contacts_who_all_drain_are_not_called_none() -> None:
    # Four of eight dormant, and each of the eight drains: the list is empty by design
    # (it urges time together), but the section must not say nobody went quiet.
    network_map = sample_map(3, 8)
    for index, contact in enumerate(network_map["contacts"]):
        contact["qualities"] = ["drains"]
        contact["last_contact"] = "2023-01" if index < 4 else "2026-02"
    for lang, wrong in (("en", "Nobody on your map has gone quiet"),
                        ("it", "Nessuno nella tua mappa")):
        section = _reconnect_section(network_map, lang)
        assert wrong not in section
        assert "4" in section or "quattro" in section


def test_the_headline_says_none_rather_than_zero_dormant() -> None:
    network_map = sample_map(3, 8)
    for contact in network_map["contacts"]:
        contact["last_contact"] = "2026-02"
    assert "none quiet for" in _context(network_map)["headline"]
    assert "nessuna in silenzio" in _context(network_map, "it")["headline"]
    assert " 0 " not in _context(network_map)["headline"]


def test_unfilled_functions_and_industries_are_not_judged_in_the_table() -> None:
    # Function and industry are optional: the narrow-network gap ignores them when
    # left blank, so the table must not mark the map as failing on them either.
    network_map = sample_map(3, 8)
    for contact in network_map["contacts"]:
        contact["function"] = None
        contact["industry"] = None
    ctx = _context(network_map)
    assert not any("Narrow network" in gap["title"] for gap in ctx["gaps"])
    assert not any("Narrow network" in title for title in ctx["more_gaps"])
    for label in ("Different functions · industries", "Diversity (0 to 1)"):
        assert _row(ctx, label)["met"] is not False, label
    assert _row(ctx, "Different functions · industries")["value"] == "– · –"


def test_the_headline_says_all_when_every_contact_is_quiet() -> None:
    network_map = sample_map(3, 8)
    for contact in network_map["contacts"]:
        contact["last_contact"] = "2023-01"
    assert "all of them quiet for 12 months" in _context(network_map)["headline"]
    assert "tutte in silenzio da 12 mesi" in _context(network_map, "it")["headline"]
    network_map["contacts"][0]["last_contact"] = "2026-02"
    assert "7 quiet for 12 months" in _context(network_map)["headline"]


def test_the_reconnect_list_says_whom_it_leaves_out() -> None:
    # Five dormant: two of them drain, so the list shows three and says why not five.
    network_map = sample_map(3, 10)
    for index, contact in enumerate(network_map["contacts"]):
        contact["last_contact"] = "2023-01" if index < 5 else "2026-02"
        contact["qualities"] = ["drains"] if index < 2 else []
    for lang, note in (("en", "Left out: 2 people who leave you drained."),
                       ("it", "Escluse: 2 persone che ti tolgono energia.")):
        section = _reconnect_section(network_map, lang)
        assert section.count('<span class="name">') == 3
        assert note in section
    for contact in network_map["contacts"]:
        contact["qualities"] = []
    html = build_html("individual", individual_inputs(network_map))
    assert "Left out" not in html
