"""/api/v1/sessions/{id}/group, the session page and the group PDF apply one disclosure rule."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.analysis import Program, count_shown
from app.core.config import Settings
from app.participation.models import Submission
from app.reports.rendering.group import analyze_group
from app.reports.service import group_inputs
from app.sessions.models import CohortSession
from tests.factories import build_cohort
from tests.texts import EN

# Ticks per participant on session 1's commitments, cycled over the cohort.
TICKS: list[list[bool | None]] = [[True, True, True], [True, False], [None, True], [False]]


def cohort_of(db: Session, facilitator: Any, size: int) -> CohortSession:
    cohort_session = build_cohort(db, participants=size, contacts=12, seed=size)
    cohort_session.cohort.facilitators.append(facilitator)
    submissions = db.query(Submission).filter_by(session_id=cohort_session.id).all()
    for index, submission in enumerate(sorted(submissions, key=lambda s: s.participant_id)):
        submission.commitment_review = [
            {"text": "hidden", "contact": None, "kept": kept} for kept in TICKS[index % 4]]
    db.flush()
    return cohort_session


def ticked(db: Session, cohort_session: CohortSession) -> dict[bool | None, int]:
    """What participants ticked, per answer, limited to the commitments they made."""
    counts: dict[bool | None, int] = {True: 0, False: 0, None: 0}
    first = next(s for s in cohort_session.cohort.sessions if s.number == 1)
    for submission in db.query(Submission).filter_by(session_id=cohort_session.id):
        previous = db.query(Submission).filter_by(
            session_id=first.id, participant_id=submission.participant_id).one()
        made = len(previous.map.get("commitments", []))
        answers = [item["kept"] for item in submission.commitment_review or []][:made]
        for answer in answers + [None] * (made - len(answers)):
            counts[answer] += 1
    return counts


def labels(db: Session, cohort_session: CohortSession) -> list[str]:
    return [c["label"] for s in db.query(Submission).all() for c in s.map["contacts"]
            if len(c["label"]) >= 4]


@pytest.mark.parametrize("size", [6, 8])
def test_json_and_pdf_apply_the_same_rules(
    client: TestClient, auth: dict[str, str], db: Session, facilitator: Any,
    settings: Settings, size: int,
) -> None:
    cohort_session = cohort_of(db, facilitator, size)
    response = client.get(f"/api/v1/sessions/{cohort_session.id}/group", headers=auth)
    assert response.status_code == 200
    data = response.json()
    submitted = data["participation"]["submitted"]
    assert submitted == size
    for gap in data["gap_prevalence"]:
        assert gap["count"] is None or count_shown(gap["count"], submitted)
    assert "min" not in response.text.replace('"min_group"', "")
    assert '"max"' not in response.text
    for dist in data["distributions"].values():
        assert dist is None or set(dist) == {"n", "p10", "q1", "median", "q3", "p90"}
    assert not [label for label in labels(db, cohort_session) if label in response.text]

    # The PDF's analysis is the same function over the same inputs: identical figures.
    inputs = group_inputs(db, cohort_session, settings)
    report = analyze_group(inputs, Program.model_validate(inputs["program"])).to_json(EN)
    assert report["gap_prevalence"] == data["gap_prevalence"]
    assert report["purpose_mix"] == data["purpose_mix"]
    assert report["change"] == data["change"]

    # Commitments are what participants ticked, those without a contact included.
    change = data["change"]
    counts = ticked(db, cohort_session)
    assert change["commitments_total"] == sum(counts.values())
    hidden = 0
    for key, answer in (("commitments_kept", True), ("commitments_not_kept", False),
                        ("commitments_not_sure", None)):
        if not count_shown(counts[answer], sum(counts.values())):
            assert change[key] is None, key
        if change[key] is None:
            hidden += 1
        else:
            assert change[key] == counts[answer], key
    assert hidden != 1  # the total minus two shown tallies would give the third away

    pdf = client.get(f"/api/v1/sessions/{cohort_session.id}/reports/group.pdf", headers=auth)
    assert pdf.status_code == 200
    text = " ".join("\n".join(p.extract_text() or "" for p in
                              PdfReader(io.BytesIO(pdf.content)).pages).split())
    for k, n in re.findall(r"(\d+) of (\d+) · \d+ ?%", text):
        assert count_shown(int(k), int(n)), f"{k} of {n}"
    shown = [g for g in data["gap_prevalence"] if g["count"] is not None]
    assert len(re.findall(r"\d+ of \d+ · \d+ ?%", text)) == len(shown)
    assert "not for hand-out" not in text


def test_a_cohort_of_eight_shows_common_gaps(
    client: TestClient, auth: dict[str, str], db: Session, facilitator: Any,
) -> None:
    cohort_session = cohort_of(db, facilitator, 8)
    data = client.get(f"/api/v1/sessions/{cohort_session.id}/group", headers=auth).json()
    shown = [g for g in data["gap_prevalence"] if g["count"] is not None]
    assert len(shown) >= 3
    assert any(0 < g["count"] < 8 for g in shown)  # a gap some have and some do not


def test_facilitator_copy_is_marked_on_every_page_and_needs_sign_in(
    client: TestClient, auth: dict[str, str], db: Session, facilitator: Any,
) -> None:
    cohort_session = cohort_of(db, facilitator, 6)
    url = f"/api/v1/sessions/{cohort_session.id}/reports/group.pdf?copy=facilitator"
    assert client.get(url).status_code == 401
    response = client.get(url, headers=auth)
    assert response.status_code == 200
    assert "facilitator" in response.headers["content-disposition"]
    pages = [" ".join((p.extract_text() or "").split())
             for p in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) >= 2
    for page in pages:
        assert "Facilitator's copy with unsuppressed counts: not for hand-out" in page
    handout = client.get(url.split("?")[0], headers=auth)
    assert handout.headers["etag"] != response.headers["etag"]
    assert client.get(url.replace("facilitator", "everyone"), headers=auth).status_code == 422


def test_session_page_shows_percentiles_not_range(
    browser_client: Any, db: Session, facilitator: Any,
) -> None:
    cohort_session = cohort_of(db, facilitator, 6)
    page = browser_client.get(f"/sessions/{cohort_session.id}")
    assert page.status_code == 200
    assert "10th–90th percentile" in page.text
    assert "Range" not in page.text
    assert "Per person: the median of each map" in page.text
    copy = f"/api/v1/sessions/{cohort_session.id}/reports/group.pdf?copy=facilitator"
    assert copy in page.text
    pdf = browser_client.get(copy)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert not [label for label in labels(db, cohort_session) if label in page.text]


def test_the_documented_example_obeys_the_rule() -> None:
    """The example at /docs is what a reader copies: it shows no count the rule forbids."""
    from app.dashboard.schemas import GroupOut

    for example in GroupOut.model_json_schema()["examples"]:
        GroupOut.model_validate(example)
        submitted = example["participation"]["submitted"]
        for gap in example["gap_prevalence"]:
            assert gap["count"] is None or count_shown(gap["count"], submitted), gap
        mix = example["purpose_mix"]
        assert mix["at_aim"] is None or count_shown(mix["at_aim"], mix["maps"]), mix
        assert (mix["growth"] is None) == (mix["spread"] is None), mix
