"""CSV downloads never carry a live spreadsheet formula."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cohorts.schemas import ParticipantIn
from app.cohorts.service import add_participants
from app.exports.service import neutralise_csv, safe_cell
from app.participation.service import save_map
from tests.cohorts.conftest import bearer

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)",
           "\tTAB", "\rCR=1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_text_is_neutralised(value: str) -> None:
    assert safe_cell(value) == "'" + value


def test_plain_values_are_left_alone() -> None:
    assert safe_cell("Elena Bianchi") == "Elena Bianchi"
    assert safe_cell(-0.5) == "-0.5" and safe_cell(3) == "3" and safe_cell(None) == ""
    assert safe_cell(["mentor", "peer"]) == "mentor;peer"
    assert safe_cell(True) == "true"
    assert neutralise_csv("a,b\n-1,=2\n") == "a,b\n-1,'=2\n"


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def test_session_csv_links_csv_and_egor_are_formula_safe(
    client: TestClient, db: Any, settings: Any, make_facilitator: Any, make_cohort: Any,
    make_session: Any,
) -> None:
    facilitator = make_facilitator()
    cohort = make_cohort(facilitator, participants=0)
    add_participants(db, cohort, [
        ParticipantIn(name=f"=cmd|' /C calc'!A{i}", email=f"evil{i}@example.org",
                      function="+Finance", industry="@Health")
        for i in range(3)
    ])
    cohort_session = make_session(cohort)
    program_data = cohort.program
    from app.analysis import Program

    program = Program.model_validate(program_data)
    month = datetime.now(UTC).strftime("%Y-%m")
    for participant in cohort.participants:
        data = {
            "contacts": [
                {"id": "a", "label": "=1+1", "purpose": "growth", "roles": ["mentor"],
                 "origin": "former_job", "organization": "outside", "function": "-Sales",
                 "industry": "@Retail", "qualities": ["energizes"], "closeness": 4,
                 "last_contact": month, "i_helped": True, "they_helped": False,
                 "introduced": False},
                {"id": "b", "label": "+B", "purpose": "company", "roles": ["peer"],
                 "origin": "current_job", "organization": "inside", "function": "=Ops",
                 "industry": "\tTech", "qualities": [], "closeness": 2,
                 "last_contact": month, "i_helped": False, "they_helped": True,
                 "introduced": False},
            ],
            "ties": [["a", "b"]],
            "commitments": [{"text": "=call", "contact": "a"}],
        }
        save_map(db, cohort_session=cohort_session, participant=participant, program=program,
                 data=data, submit=True)
    db.flush()
    headers = bearer(client, facilitator.email)
    base = f"/api/v1/sessions/{cohort_session.id}"
    texts = [client.get(f"{base}/export.csv", headers=headers).text,
             client.get(f"{base}/links.csv", headers=headers).text]
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{base}/export/egor.zip",
                                                    headers=headers).content))
    texts += [archive.read(name).decode() for name in archive.namelist() if name.endswith(".csv")]
    seen_neutralised = 0
    for text in texts:
        for cell in cells(text):
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (cell, text[:200])
            if cell.startswith("-"):
                float(cell)  # only real numbers may start with a minus
            seen_neutralised += cell.startswith("'")
    assert seen_neutralised >= 12
    data_csv = texts[0]
    assert "'=1+1" in data_csv and "'-Sales" in data_csv and "'=cmd|" in data_csv
