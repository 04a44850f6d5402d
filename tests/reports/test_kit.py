"""The facilitation kit: the plan from the program, prompts and counts from the analysis."""

from __future__ import annotations

import copy
import io
from typing import Any

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.analysis import Program, count_shown
from app.reports.rendering.kit import render_kit
from tests.cohorts.conftest import Browser, auth, bearer, facilitator
from tests.dashboard.test_group import cohort_of
from tests.factories import build_cohort
from tests.reports.report_support import group_inputs, pdf_pages, program_json, sample_map
from tests.reports.test_worksheet import pngs

__all__ = ["auth", "facilitator"]

PROGRAM = Program.model_validate(program_json())


def flat(pdf: bytes) -> str:
    return " ".join("\n".join(pdf_pages(pdf)).split())


def kit_inputs(number: int, language: str, program: dict[str, Any] | None = None,
               people: int = 6) -> dict[str, Any]:
    maps = {str(i): sample_map(i, 10) for i in range(people)}
    previous = {str(i): sample_map(100 + i, 9) for i in range(people)} if number > 1 else None
    inputs = group_inputs(maps, language=language, previous=previous,
                          cohort="Spring <b>cohort</b>")
    inputs["kind"] = "kit"
    inputs["session"] = {"number": number, "title": ""}
    if program is not None:
        inputs["program"] = program
    return inputs


def test_kit_holds_title_topic_agenda_steps_and_prompts_in_both_languages() -> None:
    for language in ("en", "it"):
        pdf = render_kit(kit_inputs(3, language)).pdf
        text = flat(pdf)
        session = PROGRAM.sessions[2]
        for needle in (session.title[language], session.topic[language],
                       session.prompts[0][language], PROGRAM.prompts.review[language]):  # type: ignore[index]
            assert " ".join(needle.split()) in text, (language, needle)
        for item in session.agenda:
            assert item.item[language] in text, (language, item.item)
        total = sum(item.minutes for item in session.agenda)
        assert f"{total}" in text
        other = "it" if language == "en" else "en"
        assert session.title[other] not in text
        heading = {"en": "Facilitation kit", "it": "Kit del facilitatore"}
        steps = {"en": "Running the exercise in the room", "it": "Condurre l'esercizio in sala"}
        assert heading[language] in text and steps[language] in text
        assert heading[other] not in text
        reader = PdfReader(io.BytesIO(pdf))
        assert reader.metadata is not None and heading[language] in (reader.metadata.title or "")
        assert "Spring <b>cohort</b>" in text  # escaped text, never markup
        page_word = {"en": "page 1 of", "it": "pagina 1 di"}[language]
        assert f"{page_word} {len(reader.pages)}" in pdf_pages(pdf)[0]
        pngs(pdf, f"room-kit-{language}")


def test_session_one_has_no_commitments_and_never_asks_about_last_month() -> None:
    text = flat(render_kit(kit_inputs(1, "en")).pdf)
    assert "This is the first session: there are no commitments from last month yet." in text
    assert PROGRAM.prompts.review["en"] not in text  # type: ignore[index]
    assert PROGRAM.sessions[0].agenda[0].item["en"] in text


def test_an_adapted_program_prints_its_own_agenda() -> None:
    program = copy.deepcopy(program_json())
    program["sessions"][2]["agenda"] = [
        {"minutes": 45, "item": {"en": "Walk and talk", "it": "Camminare e parlare"}},
        {"minutes": 40, "item": {"en": "Letters to a dormant tie",
                                 "it": "Lettere a un legame dormiente"}}]
    program["sessions"][1]["agenda"] = []
    text = flat(render_kit(kit_inputs(3, "it", program)).pdf)
    assert "Camminare e parlare" in text and "Lettere a un legame dormiente" in text
    assert "0–45" in text and "45–85" in text and "85" in text
    # No agenda in the program: the built-in one, translated.
    text = flat(render_kit(kit_inputs(2, "it", program)).pdf)
    assert "Aggiornare la mappa" in text


def _count(text: str, label: str) -> str:
    after = text.split(label, 1)[1].split()
    return after[0]


def test_kit_endpoint_counts_auth_and_language(
    client: TestClient, auth: dict[str, str], facilitator: Any, make_facilitator: Any,
    db: Session,
) -> None:
    for size in (5, 8):
        cohort_session = cohort_of(db, facilitator, size)
        url = f"/api/v1/sessions/{cohort_session.id}/reports/kit.pdf"
        response = client.get(url, headers=auth)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert "kit.pdf" in response.headers["content-disposition"]
        text = flat(response.content)
        change = client.get(f"/api/v1/sessions/{cohort_session.id}/group",
                            headers=auth).json()["change"]
        section = text.split("Last month's commitments")[-1]
        for label, key in (("Kept", "commitments_kept"), ("Not kept", "commitments_not_kept"),
                           ("Not sure", "commitments_not_sure"), ("Total", "commitments_total")):
            value = _count(section, label)
            expected = change[key]
            assert value == (str(expected) if expected is not None else "not"), (label, value)
            if expected is not None and key != "commitments_total":
                assert count_shown(expected, change["commitments_total"])
        if size == 5:  # some tally is too small to show
            assert "not shown" in section
        for person in cohort_session.cohort.participants:
            assert person.name not in text
        again = client.get(url, headers={**auth, "If-None-Match": response.headers["etag"]})
        assert again.status_code == 304
    other = make_facilitator()
    db.flush()
    assert client.get(url, headers=bearer(client, other.email)).status_code == 404
    assert client.get(url).status_code == 401

    italian = build_cohort(db, participants=4, contacts=10, language="it", seed=5)
    italian.cohort.facilitators.append(facilitator)
    db.flush()
    text = flat(client.get(f"/api/v1/sessions/{italian.id}/reports/kit.pdf",
                           headers=auth).content)
    assert "Kit del facilitatore" in text and "Facilitation kit" not in text
    assert PROGRAM.sessions[1].title["it"] in text


def test_session_page_has_the_kit_button(client: TestClient, facilitator: Any,
                                         db: Session) -> None:
    cohort_session = cohort_of(db, facilitator, 5)
    browser = Browser(client, facilitator).sign_in()
    page = browser.get(f"/sessions/{cohort_session.id}").text
    assert f'/api/v1/sessions/{cohort_session.id}/reports/kit.pdf' in page
    assert "Facilitation kit (PDF)" in page
