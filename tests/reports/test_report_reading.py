"""The individual report reads well: strengths first, every number explained,
natural words in en and it, and 2 to 3 well-filled pages for a typical map."""

from __future__ import annotations

import io
import random
from typing import Any

import pdfplumber
import pytest

from app.demo_maps import profile_map
from app.reports.rendering.formatting import Formatter
from app.reports.rendering.individual import individual_context
from app.reports.rendering.render import render_report
from tests.reports.report_support import (
    AS_OF,
    INDIVIDUAL_SECTIONS_EN,
    INDIVIDUAL_SECTIONS_IT,
    assert_in_order,
    group_inputs,
    individual_inputs,
    pdf_pages,
    pdf_text,
    sample_map,
)

MEDIANS = {"size": 24.0, "growth_share": 0.6, "dormant_count": 3.0, "dormant_share": 0.12,
           "outside_share": 0.6, "distinct.function": 7.0, "distinct.industry": 6.0,
           "helped_share": 0.45, "introduced_share": 0.2, "diversity": 0.8, "density": 0.12,
           "constraint": 0.14, "drains_share": 0.0}
FOOTER_PT = 48  # the running footer sits in the bottom margin (17 mm)


def _render(network_map: dict[str, Any], lang: str = "en", **extra: Any) -> bytes:
    return render_report("individual",
                         individual_inputs(network_map, language=lang, **extra)).pdf


def _filled(page: Any) -> float:
    """How far down the page's text and drawings reach, as a share of the text area."""
    top_margin, bottom = 19 * 72 / 25.4, page.height - 17 * 72 / 25.4
    bottoms = [obj["bottom"] for kind in ("chars", "rects", "curves", "lines")
               for obj in getattr(page, kind) if obj["top"] < page.height - FOOTER_PT]
    return (max(bottoms) - top_margin) / (bottom - top_margin)


# --- pages ---------------------------------------------------------------------------

TYPICAL = [("random", seed, n) for n in (20, 25, 30) for seed in (1, 2)] + [
    (profile, 5, n) for profile in ("builder", "insider", "connector", "drifting")
    for n in (20, 30)
]


@pytest.mark.parametrize(("kind", "seed", "size"), TYPICAL)
@pytest.mark.parametrize("lang", ["en", "it"])
def test_a_typical_map_fills_two_or_three_pages(kind: str, seed: int, size: int,
                                                lang: str) -> None:
    network_map = (sample_map(seed, size) if kind == "random"
                   else profile_map(random.Random(seed), kind, as_of=AS_OF, size=size))
    pdf = _render(network_map, lang, cohort_medians=MEDIANS)
    pages = pdf_pages(pdf)
    assert 2 <= len(pages) <= 3, f"{len(pages)} pages"
    sections = INDIVIDUAL_SECTIONS_EN if lang == "en" else INDIVIDUAL_SECTIONS_IT
    assert_in_order("\n".join(pages), sections)
    # The last page never holds a tail section alone ("Your commitments" by itself).
    last = pages[-1]
    opened_here = [title for title in sections if title in last]
    assert len(opened_here) >= 2 or len(last) > 900, (opened_here, len(last))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert _filled(document.pages[0]) > 0.7  # page 1 is not a third empty


# --- strengths and numbers -----------------------------------------------------------------


def test_the_report_opens_with_strengths_and_explains_each_number() -> None:
    builder = profile_map(random.Random(3), "builder", as_of=AS_OF, size=24)
    text = pdf_text(_render(builder, cohort_medians=MEDIANS))
    assert_in_order(text, ["Your network at a glance", "What your network already does well",
                           "How to read this page", "Where to focus", "Your map"])
    assert "of your contacts are there for your growth, at or above the course's aim of 40%" in text
    for label, aim in [("People on your map", "at least 5"), ("For your growth", "at least 40%"),
                       ("Dormant ties", "at most 25%"), ("You helped lately", "at least 30%"),
                       ("Know each other", "at most 50%"),
                       ("Closed circle (0 to 1)", "at most 0.40")]:
        assert label in text and aim in text
    assert "Group" in text and "median of your session" in text


@pytest.mark.parametrize("lang", ["en", "it"])
def test_no_unexplained_jargon(lang: str) -> None:
    insider = profile_map(random.Random(4), "insider", as_of=AS_OF, size=20)
    text = pdf_text(_render(insider, lang, cohort_medians=MEDIANS)).casefold()
    for jargon in ("constraint", "vincolo", "density", "densità", "iqv", "effective size",
                   "efficiency", "ei index"):
        assert jargon not in text, jargon
    assert ("how to read this page" if lang == "en" else "come leggere questa pagina") in text


def test_without_three_maps_no_group_column() -> None:
    context = individual_context(individual_inputs(sample_map(3, 20)))
    assert not context["medians_shown"]
    assert "Group" not in pdf_text(_render(sample_map(3, 20)))


def test_a_small_map_claims_no_strengths() -> None:
    context = individual_context(individual_inputs(sample_map(4, 3)))
    assert context["strengths"] == []


# --- words ---------------------------------------------------------------------------------


def _one_contact_map() -> dict[str, Any]:
    one = sample_map(5, 1)
    one["commitments"] = []
    return one


@pytest.mark.parametrize(("lang", "good", "bad"), [
    ("en", "1 person on your map", "1 people"),
    ("it", "1 persona nella tua mappa", "1 persone"),
])
def test_plural_forms(lang: str, good: str, bad: str) -> None:
    text = pdf_text(_render(_one_contact_map(), lang, previous=False))
    assert good in text.replace("\n", " ")
    assert bad not in text


@pytest.mark.parametrize(("value", "italian"), [
    (0.0, "lo 0%"), (0.01, "l'1%"), (0.08, "l'8%"), (0.11, "l'11%"), (0.83, "l'83%"),
    (0.24, "il 24%"), (0.33, "il 33%"), (1.0, "il 100%"),
])
def test_italian_articles_before_percentages(value: float, italian: str) -> None:
    assert Formatter("it").pct_the(value) == italian
    assert Formatter("en").pct_the(value) == italian.split(" ")[-1].removeprefix("l'")


def test_italian_report_has_no_wrong_article() -> None:
    drifting = profile_map(random.Random(6), "drifting", as_of=AS_OF, size=20)
    for contact in drifting["contacts"]:
        contact["introduced"] = False
    text = pdf_text(_render(drifting, "it", cohort_medians=MEDIANS))
    assert "il 0%" not in text and "lo 0%" in text


def test_a_commitment_does_not_repeat_the_name_it_holds() -> None:
    network_map = sample_map(6, 20)
    first, second = network_map["contacts"][:2]
    first["label"], second["label"] = "A.A.", "B.Q."
    network_map["commitments"] = [
        {"text": "Lunch with A.A. next week", "contact": first["id"]},
        {"text": "Send the article on retrospectives", "contact": second["id"]},
    ]
    text = pdf_text(_render(network_map))
    assert "Lunch with A.A. next week" in text and "(A.A.)" not in text
    assert "Send the article on retrospectives (B.Q.)" in text


@pytest.mark.parametrize(("lang", "role"), [("en", "Community of practice"),
                                            ("it", "Comunità di pratica")])
def test_role_names_are_whole(lang: str, role: str) -> None:
    text = pdf_text(_render(sample_map(7, 20), lang))
    assert role in text
    assert "…" not in text.split("How they make you feel")[0].split("Roles they play")[-1]


@pytest.mark.parametrize(("lang", "labels"), [
    ("en", ["Know each other", "Closed circle (0 to 1)", "Share bringing news",
            "Bring something new", "For growth (or both)"]),
    ("it", ["Si conoscono tra loro", "Cerchia chiusa (0–1)", "Quota che porta novità",
            "Portano novità", "Crescita (o entrambi)"]),
])
def test_group_report_names_structure_plainly_and_whole(lang: str, labels: list[str]) -> None:
    maps = {str(i): sample_map(20 + i, 20) for i in range(5)}
    text = pdf_text(render_report("group", group_inputs(maps, language=lang)).pdf)
    for label in labels:
        assert label in text, label
    for jargon in ("Constraint", "Vincolo", "Efficiency", "Effective size", "Density"):
        assert jargon not in text
