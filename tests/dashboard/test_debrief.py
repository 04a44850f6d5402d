"""/sessions/{id}/debrief: the group picture as slides, under the group report's disclosure rule."""

from __future__ import annotations

import html as htmllib
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.analysis import count_shown
from app.participation.models import Submission
from app.sessions.models import CohortSession
from tests.cohorts.conftest import Browser
from tests.dashboard.test_group import cohort_of, labels
from tests.factories import build_cohort


def slides(html: str) -> list[str]:
    return re.findall(r'<section class="slide slide-([a-z_]+)"', html)


@pytest.mark.parametrize("size", [5, 8])
def test_the_debrief_shows_the_group_picture_without_labels(
    browser_client: Browser, db: Session, facilitator: Any, size: int,
) -> None:
    cohort_session = cohort_of(db, facilitator, size)
    page = browser_client.get(f"/sessions/{cohort_session.id}")
    assert f'href="/sessions/{cohort_session.id}/debrief"' in page.text

    response = browser_client.get(f"/sessions/{cohort_session.id}/debrief")
    assert response.status_code == 200
    html = response.text
    assert slides(html)[:5] == ["title", "participation", "purpose", "gaps", "change"]
    assert set(slides(html)[5:]) == {"prompt"}
    assert not [label for label in labels(db, cohort_session) if label in html]
    for name in (p.name for p in cohort_session.cohort.participants):
        assert name not in html
    # Every "k of 8" on the slides is a count the rule allows.
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", html))
    found = re.findall(rf"(?<!\()\b(\d+) of {size}\b", text)  # not "For discussion (1 of 5)"
    assert found
    assert all(count_shown(int(k), size) for k in found), found
    # The common gaps are the JSON's shown ones, with the same counts.
    data = browser_client.get(f"/api/v1/sessions/{cohort_session.id}/group").json()
    flat = " ".join(text.split())
    shown = [g for g in data["gap_prevalence"] if g["count"]][:5]
    assert shown
    for gap in shown:
        assert f"{gap['title'].split(':')[0]} {gap['count']} of {size}" in flat, gap
    # Commitments as ticked (the JSON's figure).
    change = data["change"]
    assert f"Commitments from last month: {change['commitments_total']}," in flat
    ticks = re.search(r'<span class="ticks">(.*?)</span></li>', html, re.S)
    assert ticks is not None
    printed = {word: int(k) for k, word in
               re.findall(r"<strong>(\d+)</strong> (kept|not kept|not sure)<", ticks.group(1))}
    expected = {word: change[key] for key, word in (
        ("commitments_kept", "kept"), ("commitments_not_kept", "not kept"),
        ("commitments_not_sure", "not sure")) if change[key] is not None}
    assert printed == expected  # a suppressed tally is not printed at all
    if size == 5:  # TICKS over 5 people: some tally is under 3, or all but under 3
        assert len(expected) < 3
    # No external assets: only our own stylesheet and script.
    assert re.findall(r'(?:href|src)="(/static/[^"]+)"', html) == [
        "/static/debrief.css", "/static/debrief.js"]
    assert "http" not in "".join(re.findall(r'(?:href|src)="([^"]+)"', html))


def test_session_one_says_there_is_no_change_yet_and_prompts_skip_last_month(
    browser_client: Browser, db: Session, facilitator: Any,
) -> None:
    second = build_cohort(db, participants=5, contacts=8, previous=False, seed=3)
    second.cohort.facilitators.append(facilitator)
    # Make it the cohort's first session: drop the empty session 1.
    first = next(s for s in second.cohort.sessions if s.number == 1)
    db.delete(first)
    db.flush()
    html = browser_client.get(f"/sessions/{second.id}/debrief").text
    assert "This is the first session" in html


def test_a_later_session_after_one_without_maps_is_not_called_the_first(
    browser_client: Browser, db: Session, facilitator: Any,
) -> None:
    """Session 1 ran, but no map was submitted in it: session 2 has nothing to compare."""
    second = build_cohort(db, participants=5, contacts=8, previous=False, seed=3)
    second.cohort.facilitators.append(facilitator)
    db.flush()
    html = browser_client.get(f"/sessions/{second.id}/debrief").text
    change = html[html.index('class="slide slide-change"'):]
    change = change[:change.index("</section>")]
    assert "first session" not in change
    assert "No maps were submitted in the previous session" in change


def test_commitments_with_every_tally_hidden_say_so(
    browser_client: Browser, db: Session, facilitator: Any,
) -> None:
    cohort_session = cohort_of(db, facilitator, 5)
    change = browser_client.get(f"/api/v1/sessions/{cohort_session.id}/group").json()["change"]
    assert change["commitments_total"]
    assert [change[f"commitments_{k}"] for k in ("kept", "not_kept", "not_sure")] == [None] * 3
    html = browser_client.get(f"/sessions/{cohort_session.id}/debrief").text
    ticks = re.search(r'<span class="ticks">(.*?)</span></li>', html, re.S)
    assert ticks is not None
    assert "not shown" in ticks.group(1)  # not a sentence ending on a colon


def test_under_three_maps_only_participation_is_shown(
    browser_client: Browser, db: Session, facilitator: Any,
) -> None:
    cohort_session = build_cohort(db, participants=2, contacts=8, seed=2)
    cohort_session.cohort.facilitators.append(facilitator)
    db.flush()
    html = browser_client.get(f"/sessions/{cohort_session.id}/debrief").text
    assert slides(html)[:3] == ["title", "participation", "too_few"]
    assert "gaps" not in slides(html) and "purpose" not in slides(html)
    assert "2 of 2" in html


def test_in_the_cohorts_language(browser_client: Browser, db: Session, facilitator: Any) -> None:
    cohort_session = build_cohort(db, participants=6, contacts=8, language="it", seed=4)
    cohort_session.cohort.facilitators.append(facilitator)
    db.flush()
    html = browser_client.get(f"/sessions/{cohort_session.id}/debrief").text
    assert '<html lang="it">' in html
    assert "Partecipazione" in html and "Avanti" in html


def test_only_the_cohorts_facilitators_see_it(
    browser_client: Browser, client: Any, db: Session, make_facilitator: Any,
) -> None:
    other: CohortSession = build_cohort(db, participants=4, contacts=8, seed=5)
    other.cohort.facilitators.append(make_facilitator())
    db.flush()
    assert browser_client.get(f"/sessions/{other.id}/debrief").status_code == 404
    client.cookies.clear()
    response = client.get(f"/sessions/{other.id}/debrief", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["location"]
    assert db.query(Submission).filter_by(session_id=other.id).count() == 4


def test_the_cohorts_text_is_escaped(
    browser_client: Browser, db: Session, facilitator: Any,
) -> None:
    cohort_session = build_cohort(db, participants=3, contacts=6, seed=6,
                                  name='<script>alert("x")</script> cohort')
    cohort_session.cohort.facilitators.append(facilitator)
    cohort_session.title = "<b>Month</b> 2"
    db.flush()
    html = browser_client.get(f"/sessions/{cohort_session.id}/debrief").text
    assert "<script>alert" not in html and "<b>Month</b>" not in html
    assert "&lt;script&gt;alert" in html and "&lt;b&gt;Month&lt;/b&gt; 2" in html


def test_a_cohorts_first_session_asks_nothing_about_last_month_anywhere(
    browser_client: Browser, client: Any, auth: dict[str, str], db: Session, facilitator: Any,
) -> None:
    """The cohort's first session in Wellspring is month 2 of the program (no session 1):
    no commitments were recorded, so neither the debrief nor the group report nor the
    kit asks about last month's, as the change slide already says it is the first."""
    second = build_cohort(db, participants=5, contacts=8, previous=False, seed=3)
    second.cohort.facilitators.append(facilitator)
    db.delete(next(s for s in second.cohort.sessions if s.number == 1))
    db.flush()
    html = browser_client.get(f"/sessions/{second.id}/debrief").text
    assert "This is the first session" in html
    assert "commitment from last month" not in html  # the review prompt
    for report in ("group.pdf", "kit.pdf"):
        response = client.get(f"/api/v1/sessions/{second.id}/reports/{report}", headers=auth)
        assert response.status_code == 200
        text = " ".join(" ".join((p.extract_text() or "") for p in
                                 PdfReader(io.BytesIO(response.content)).pages).split())
        assert "For the discussion" in text or "Discussion" in text
        assert "commitment from last month" not in text, report
