"""The facilitator's pages, driven by forms as a browser would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cohorts.models import Cohort
from app.sessions.models import CohortSession
from tests.cohorts.conftest import Browser

REPO_ROOT = Path(__file__).resolve().parents[2]

ROSTER = (REPO_ROOT / "cohorts" / "example" / "roster.csv").read_bytes()


def new_cohort(browser: Browser, roster: bytes | None = ROSTER, name: str = "Autumn") -> Any:
    files = {"roster": ("roster.csv", roster, "text/csv")} if roster is not None else None
    return browser.post("/cohorts/new", data={"name": name, "program_id": "leadership-8-month",
                                              "language": "en"}, files=files)


def test_create_a_cohort_from_the_example_roster(browser_client: Browser, db: Session) -> None:
    form = browser_client.get("/cohorts/new")
    assert "leadership-8-month" in form.text
    response = new_cohort(browser_client)
    assert response.status_code == 303
    page = browser_client.get(response.headers["location"])
    assert page.status_code == 200
    assert "The cohort was created." in page.text
    assert "Nicolò D&#39;Amico" in page.text or "Nicolò D'Amico" in page.text
    assert page.text.count("/edit\">") == 8
    assert "Open session 1 of 8" in page.text


def test_a_bad_roster_creates_nothing_and_names_each_row(browser_client: Browser,
                                                         db: Session) -> None:
    roster = b"name,email\nGood,good@example.org\nNo Email,\nBad,bad@@example\n"
    response = new_cohort(browser_client, roster, name="Should not exist")
    assert response.status_code == 422
    assert "Nothing was created" in response.text
    assert "row 3, email" in response.text and "row 4, email" in response.text
    assert 'value="Should not exist"' in response.text  # the form keeps what was typed
    assert db.scalar(select(Cohort).where(Cohort.name == "Should not exist")) is None


def test_roster_by_hand_edit_and_remove(browser_client: Browser, make_cohort: Any,
                                        db: Session) -> None:
    cohort = make_cohort(browser_client.facilitator, participants=1)
    first_email = cohort.participants[0].email
    base = f"/cohorts/{cohort.id}"
    bad = browser_client.post(f"{base}/participants", data={"name": "Eve", "email": "nope"})
    assert bad.status_code == 422 and "email" in bad.text
    added = browser_client.post(f"{base}/participants",
                                data={"name": "Eve Adams", "email": "eve@example.org",
                                      "organization": "Acme", "language": "it"})
    assert added.status_code == 303
    db.expire_all()
    eve = next(p for p in db.get(Cohort, cohort.id).participants if p.name == "Eve Adams")
    assert eve.language == "it" and eve.organization == "Acme"
    form = browser_client.get(f"{base}/participants/{eve.id}/edit")
    assert 'value="eve@example.org"' in form.text
    clash = browser_client.post(f"{base}/participants/{eve.id}/edit",
                                data={"name": "Eve", "email": first_email})
    assert clash.status_code == 422 and "already in this cohort" in clash.text
    edited = browser_client.post(f"{base}/participants/{eve.id}/edit",
                                 data={"name": "Eve B. Adams", "email": "eve@example.org"})
    assert edited.status_code == 303
    db.expire_all()
    assert db.get(type(eve), eve.id).name == "Eve B. Adams"
    eve_id, model = eve.id, type(eve)
    removed = browser_client.post(f"{base}/participants/{eve_id}/delete")
    assert removed.status_code == 303
    db.expire_all()
    assert db.get(model, eve_id) is None


def test_import_errors_on_the_cohort_page(browser_client: Browser, make_cohort: Any) -> None:
    cohort = make_cohort(browser_client.facilitator, participants=0)
    response = browser_client.post(
        f"/cohorts/{cohort.id}/participants/import",
        files={"roster": ("r.csv", b"name,email,shoe_size\nA,a@example.org,42\n", "text/csv")})
    assert response.status_code == 422
    assert "Nothing was imported" in response.text and "shoe_size" in response.text
    preview = browser_client.post(f"/cohorts/{cohort.id}/participants/import",
                                  files={"roster": ("r.csv", ROSTER, "text/csv")})
    assert preview.status_code == 200 and "8 new people to add" in preview.text
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview.text)
    assert digest
    ok = browser_client.post(f"/cohorts/{cohort.id}/participants/import/confirm",
                             {"roster_text": ROSTER.decode(), "digest": digest.group(1)})
    assert ok.status_code == 303 and "n=8" in ok.headers["location"]


def test_open_a_session_and_manage_links(browser_client: Browser, make_cohort: Any,
                                         db: Session, submit_maps: Any) -> None:
    cohort = make_cohort(browser_client.facilitator, participants=4)
    bad = browser_client.post(f"/cohorts/{cohort.id}/sessions", data={"deadline": "2001-01-01"})
    assert bad.status_code == 422 and "deadline" in bad.text
    too_far = browser_client.post(f"/cohorts/{cohort.id}/sessions",
                                  data={"deadline": "2099-05-01"})
    assert too_far.status_code == 422 and "at most 366 days" in too_far.text
    due = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    opened = browser_client.post(f"/cohorts/{cohort.id}/sessions", data={"deadline": due})
    assert opened.status_code == 303
    dashboard = browser_client.get(opened.headers["location"])
    assert dashboard.status_code == 200
    assert "The session is open." in dashboard.text
    assert dashboard.text.count('data-copy="link-') == 4
    assert "http://testserver/p/" in dashboard.text
    assert "appears once at least 3 participants have submitted" in dashboard.text

    s = db.scalar(select(CohortSession).where(CohortSession.cohort_id == cohort.id))
    labels = submit_maps(s.id, submitted=3, drafts=1)
    dashboard = browser_client.get(f"/sessions/{s.id}")
    assert dashboard.text.count('data-status="submitted"') == 3
    assert dashboard.text.count('data-status="draft"') == 1
    assert "Common gaps" in dashboard.text and "Measures across the group" in dashboard.text
    assert not any(label in dashboard.text for label in labels)

    invitation = s.invitations[0]
    old_link_token = invitation.token_hash
    assert browser_client.post(
        f"/sessions/{s.id}/invitations/{invitation.id}/reissue").status_code == 303
    db.expire_all()
    assert db.get(type(invitation), invitation.id).token_hash != old_link_token
    assert browser_client.post(
        f"/sessions/{s.id}/invitations/{invitation.id}/revoke").status_code == 303
    page = browser_client.get(f"/sessions/{s.id}")
    assert "Revoked: reissue to give a new link." in page.text

    closed = browser_client.post(f"/sessions/{s.id}/settings", data={"status": "closed"})
    assert "session_closed" in closed.headers["location"]
    db.expire_all()
    assert db.get(CohortSession, s.id).status == "closed"
    later = (datetime.now(UTC) + timedelta(days=40)).date().isoformat()
    moved = browser_client.post(f"/sessions/{s.id}/settings", data={"deadline": later})
    assert moved.status_code == 303 and "notice" not in moved.headers["location"]
    db.expire_all()
    assert db.get(CohortSession, s.id).deadline.date().isoformat() == later
    # Without SMTP_URL the page says so and offers no send buttons.
    assert "Email is not configured" in page.text


def test_the_demo_cohort_dashboard(browser_client: Browser, db: Session, settings: Any) -> None:
    from app.demo import ensure_demo

    result = ensure_demo(db, settings)
    result.cohort.facilitators.append(browser_client.facilitator)
    db.flush()
    listing = browser_client.get("/cohorts")
    assert result.cohort.name in listing.text and "5 of 8 submitted" in listing.text
    page = browser_client.get(f"/sessions/{result.current_session.id}")
    assert page.status_code == 200
    assert "Since last session" in page.text  # the demo has two sessions
    assert page.text.count('data-status="submitted"') == 5


def test_italian_pages(browser_client: Browser, make_cohort: Any, make_session: Any) -> None:
    cohort = make_cohort(browser_client.facilitator)
    s = make_session(cohort)
    page = browser_client.get(f"/sessions/{s.id}?lang=it")
    assert '<html lang="it">' in page.text
    assert "Partecipanti e link" in page.text
    assert f'href="/sessions/{s.id}?lang=en"' in page.text  # the switch back keeps the page
    assert "Le tue coorti" in browser_client.get("/cohorts").text  # the choice sticks
    login = Browser(TestClient(browser_client.client.app), None).get("/login?next=%2Fcohorts")
    assert 'href="/login?next=%2Fcohorts&amp;lang=it"' in login.text
