"""The blank worksheet: the exercise on paper, from the program, in the cohort's language."""

from __future__ import annotations

import copy
import io
import subprocess
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pypdf import PdfReader

from app.analysis.worksheet import SHEET_ROWS
from app.reports.rendering.worksheet import render_worksheet
from tests.cohorts.conftest import auth, bearer, facilitator
from tests.reports.report_support import pdf_pages, program_json, squash

__all__ = ["auth", "facilitator"]


def sheet_inputs(language: str = "en", program: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "kind": "worksheet", "program": program or program_json(), "language": language,
        "page_size": "A4", "cohort": {"name": "Autumn <b>cohort</b>"},
        "session": {"number": 2, "title": "Month 2"}, "as_of": "2026-12-03",
    }


def pngs(pdf: bytes, stem: str) -> list[Path]:
    for old in Path("/tmp").glob(f"{stem}-*.png"):
        old.unlink()
    target = Path(f"/tmp/{stem}.pdf")
    target.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(target), f"/tmp/{stem}"], check=True)
    return sorted(Path("/tmp").glob(f"{stem}-*.png"))


def test_worksheet_endpoint_in_the_cohort_language(
    client: TestClient, auth: dict[str, str], facilitator: Any,
    make_cohort: Any, make_session: Any, make_facilitator: Any, db: Any,
) -> None:
    for language, expected in (
        ("en", ["Network map worksheet", "For the company or for me?", "Who knows whom",
                "The people in my network", "Your name"]),
        ("it", ["Scheda della mappa relazionale", "Chi conosce chi", "Il tuo nome",
                "Per l'azienda"]),
    ):
        cohort = make_cohort(facilitator=facilitator, language=language)
        cohort_session = make_session(cohort)
        db.flush()
        url = f"/api/v1/sessions/{cohort_session.id}/reports/worksheet.pdf"
        response = client.get(url, headers=auth)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert "worksheet.pdf" in response.headers["content-disposition"]
        reader = PdfReader(io.BytesIO(response.content))
        assert len(reader.pages) == 3
        text = " ".join("\n".join(pdf_pages(response.content)).split())
        for needle in expected:
            assert needle in text, (language, needle)
        if language == "it":
            assert "Who knows whom" not in text and "Your name" not in text
        # The same PDF again: from the cache, with its ETag.
        again = client.get(url, headers={**auth, "If-None-Match": response.headers["etag"]})
        assert again.status_code == 304
        pngs(response.content, f"monthb-worksheet-api-{language}")

    # Someone else's session, or no sign-in: nothing.
    other = make_facilitator()
    db.flush()
    assert client.get(url, headers=bearer(client, other.email)).status_code == 404
    assert client.get(url).status_code == 401


def test_worksheet_layout_rows_triangle_and_codes() -> None:
    pdf = render_worksheet(sheet_inputs()).pdf
    pages = pdf_pages(pdf)
    assert len(pages) == 3
    key, people, ties = (" ".join(page.split()) for page in pages)
    # Codes in the program's order: purposes 1-3, roles 1-8.
    assert "1 For the company" in key and "3 Both" in key and "8 Friend" in key
    # One numbered row per person, 15 of them, on the landscape page.
    box = PdfReader(io.BytesIO(pdf)).pages[1].mediabox
    assert box.width > box.height
    assert all(f" {n} " in f" {people} " for n in range(1, SHEET_ROWS + 1))
    # Who knows whom: rows 2-15 against columns 1-14, then three commitments.
    assert "Who knows whom" in ties and "My commitments" in ties
    assert squash("1 2 3 4 5 6 7 8 9 10 11 12 13 14") in squash(ties)
    # Participant-free, but the cohort name is still escaped text, never markup.
    assert "Autumn <b>cohort</b>" in " ".join(pages)


def test_an_adapted_program_prints_its_own_sheet() -> None:
    program = copy.deepcopy(program_json())
    exercise = program["exercise"]
    exercise["purposes"][0]["label"] = {"en": "For the firm", "it": "Per la ditta"}
    exercise["qualities"].append({
        "id": "inspires", "label": {"en": "Inspires me", "it": "Mi ispira"},
        "help": {"en": "Gives you ideas.", "it": "Ti dà idee."}})
    exercise["fields"]["closeness"]["label"] = {"en": "How close", "it": "Quanto vicini"}
    for language, words in (("en", ["1 For the firm", "5 Inspires me", "How close"]),
                            ("it", ["1 Per la ditta", "5 Mi ispira", "Quanto vicini"])):
        pdf = render_worksheet(sheet_inputs(language, program)).pdf
        text = " ".join("\n".join(pdf_pages(pdf)).split())
        for word in words:
            assert word in text, (language, word)
        assert "1 For the company" not in text and "1 Per l'azienda" not in text
        # A longer key may take a second page; the sheet and the triangle follow it.
        images = pngs(pdf, f"monthb-worksheet-adapted-{language}")
        assert len(images) >= 3
