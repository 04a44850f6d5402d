"""One truth for commitments in the individual report: what the participant ticked.

The dates on the map only add a hint ("you were in touch with them since").
"""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.participation.models import Submission
from app.reports.rendering.render import build_html
from tests.factories import build_journey
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


def test_only_last_sessions_commitments_are_ticked(client: TestClient, db: Session) -> None:
    """A participant who skipped session 2 is not asked in session 3 about session 1's
    commitments: no report (own, group, journey) would count those ticks, so the form
    would collect answers that vanish. The map itself is still carried forward."""
    cohort = build_journey(db, participants=3, sessions=3, skip=frozenset({(2, 0)}),
                           as_of=date(2099, 3, 20))  # every session still open
    person, regular = sorted(cohort.participants, key=lambda p: p.id)[:2]
    third = next(s for s in cohort.sessions if s.number == 3)
    for participant in (person, regular):
        db.query(Submission).filter_by(session_id=third.id,
                                       participant_id=participant.id).delete()
    db.flush()

    skipped = client.get(f"/api/v1/p/{third.id}:{person.id}").json()
    assert skipped["carried_forward"] is True and skipped["map"]["contacts"]
    assert skipped["previous_commitments"] == []
    steady = client.get(f"/api/v1/p/{third.id}:{regular.id}").json()
    assert steady["previous_commitments"]  # session 2's, to tick
