"""The session lifecycle: the cohort's time zone, closing the previous session on opening,
suggested deadlines, and reopening until the pack is printed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.cohorts import service as cohorts
from app.cohorts.service import program_by_id
from app.core.errors import Invalid
from app.core.timezones import check_time_zone, end_of_local_day, format_local
from app.reports import service as reports
from app.reports.service import RenderedPDF
from app.sessions import service
from app.sessions.email import link_message
from app.sessions.models import CohortSession
from tests.cohorts.conftest import Browser


def create(client: TestClient, auth: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/cohorts", headers=auth, json={
        "name": "Rome cohort", "participants": [{"name": "Ada", "email": "ada@example.org"}],
        **body})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def open_next(client: TestClient, auth: dict[str, str], cohort_id: int,
              **body: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/cohorts/{cohort_id}/sessions", headers=auth, json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


# --- time zones -------------------------------------------------------------------------


def test_deadline_reads_in_the_zone_with_its_name() -> None:
    deadline = end_of_local_day(date(2027, 1, 31), "Europe/Rome")
    assert deadline == datetime(2027, 1, 31, 22, 59, tzinfo=UTC)
    assert format_local(deadline, "Europe/Rome", "en") == "31 Jan 2027, 23:59 CET"
    assert format_local(deadline, "Europe/Rome", "it") == "31 gen 2027, 23:59 CET"
    summer = end_of_local_day(date(2027, 7, 1), "Europe/Rome")
    assert format_local(summer, "Europe/Rome", "en") == "1 Jul 2027, 23:59 CEST"
    assert format_local(deadline, "America/New_York", "en") == "31 Jan 2027, 17:59 EST"


def test_unknown_time_zone_names_the_field() -> None:
    assert check_time_zone("Europe/Rome") == "Europe/Rome"
    for bad in ("Europe/Atlantis", "", "../etc/passwd", "CET " * 30):
        with pytest.raises(Invalid) as caught:
            check_time_zone(bad)
        assert caught.value.errors[0].startswith("time_zone: ")


def test_cohort_time_zone_by_api(client: TestClient, auth: dict[str, str]) -> None:
    assert create(client, auth)["time_zone"] == "UTC"  # the program sets none
    cohort = create(client, auth, time_zone="Europe/Rome")
    assert cohort["time_zone"] == "Europe/Rome"
    bad = client.post("/api/v1/cohorts", headers=auth,
                      json={"name": "X", "time_zone": "Mars/Olympus"})
    assert bad.status_code == 422 and "time_zone" in bad.text
    changed = client.patch(f"/api/v1/cohorts/{cohort['id']}", headers=auth,
                           json={"time_zone": "America/New_York"})
    assert changed.status_code == 200 and changed.json()["time_zone"] == "America/New_York"
    refused = client.patch(f"/api/v1/cohorts/{cohort['id']}", headers=auth,
                           json={"time_zone": "Nowhere"})
    assert refused.status_code == 422 and "time_zone" in refused.text


def test_program_default_then_facilitator_zone(
    db: Session, make_facilitator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = make_facilitator()
    made = cohorts.create_cohort(db, name="A", program_id="leadership-8-month", language="en",
                                 facilitators=[me], fallback_time_zone="Europe/Rome")
    assert made.time_zone == "Europe/Rome"
    ignored = cohorts.create_cohort(db, name="B", program_id="leadership-8-month",
                                    language="en", facilitators=[me],
                                    fallback_time_zone="Not/AZone")
    assert ignored.time_zone == "UTC"
    program = cohorts.program_by_id("leadership-8-month")
    with_default = program.model_copy(update={"default_time_zone": "Asia/Tokyo"})
    monkeypatch.setattr(cohorts, "program_by_id", lambda _pid: with_default)
    tokyo = cohorts.create_cohort(db, name="C", program_id="leadership-8-month",
                                  language="en", facilitators=[me],
                                  fallback_time_zone="Europe/Rome")
    assert tokyo.time_zone == "Asia/Tokyo"


def test_program_refuses_unknown_default_zone() -> None:
    raw = program_by_id("leadership-8-month").model_dump(mode="json")
    with pytest.raises(ValidationError, match="default_time_zone"):
        type(program_by_id("leadership-8-month")).model_validate(
            {**raw, "default_time_zone": "Europe/Nowhere"})


def test_participant_and_email_see_the_local_deadline(
    client: TestClient, auth: dict[str, str], db: Session, settings: Any, facilitator: Any,
) -> None:
    cohort = create(client, auth, time_zone="Europe/Rome", language="it")
    opened = open_next(client, auth, cohort["id"], deadline="2026-12-31T22:59:00Z",
                       opens_on=datetime.now(UTC).date().isoformat())
    assert opened["deadline_local"] == "31 dic 2026, 23:59 CET"
    link = client.get(f"/api/v1/sessions/{opened['id']}/links", headers=auth).json()[0]["link"]
    path = "/p/" + link.rsplit("/p/", 1)[1]
    page = client.get(path, params={"lang": "en"})
    assert "Open until 31 Dec 2026, 23:59 CET" in page.text
    assert "UTC" not in page.text
    token = link.rsplit("/p/", 1)[1]
    shown = client.get(f"/api/v1/p/{token}", params={"lang": "it"}).json()["session"]
    assert shown["time_zone"] == "Europe/Rome"
    assert shown["deadline_local"] == "31 dic 2026, 23:59 CET"
    cohort_session = db.get(CohortSession, opened["id"])
    assert cohort_session is not None
    invitation = cohort_session.invitations[0]
    message = link_message(settings, participant=invitation.participant,
                           cohort=cohort_session.cohort, cohort_session=cohort_session,
                           link=link, sender=facilitator, reminder=True)
    assert "31 dic 2026, 23:59 CET" in message["Subject"]


def test_facilitator_pages_show_the_zone(
    browser_client: Browser, client: TestClient, auth: dict[str, str],
) -> None:
    cohort = create(client, auth, time_zone="Europe/Rome")
    opened = open_next(client, auth, cohort["id"], deadline="2026-12-31T22:59:00Z",
                       opens_on=datetime.now(UTC).date().isoformat())
    page = browser_client.get(f"/sessions/{opened['id']}").text
    assert "31 Dec 2026, 23:59 CET" in page
    assert 'value="2026-12-31"' in page  # the date field is the local day
    cohort_page = browser_client.get(f"/cohorts/{cohort['id']}").text
    assert "31 Dec 2026, 23:59 CET" in cohort_page and "Europe/Rome" in cohort_page
    # Moving the deadline to a day means the end of that day in Rome.
    moved = browser_client.post(f"/sessions/{opened['id']}/settings",
                                {"deadline": "2027-01-05"})
    assert moved.status_code == 303
    detail = client.get(f"/api/v1/sessions/{opened['id']}", headers=auth).json()
    assert detail["deadline"].startswith("2027-01-05T22:59")
    # The cohort page's form changes the zone.
    changed = browser_client.post(f"/cohorts/{cohort['id']}/time-zone",
                                  {"time_zone": "Asia/Tokyo"})
    assert changed.status_code == 303
    assert "6 Jan 2027, 07:59 JST" in browser_client.get(f"/cohorts/{cohort['id']}").text
    bad = browser_client.post(f"/cohorts/{cohort['id']}/time-zone", {"time_zone": "Tokyo"})
    assert bad.status_code == 422 and "time_zone: " in bad.text


def test_new_cohort_form_takes_the_browser_zone(browser_client: Browser) -> None:
    form = browser_client.get("/cohorts/new").text
    assert "data-browser-time-zone" in form and "<option>Europe/Rome</option>" in form
    made = browser_client.post("/cohorts/new", {
        "name": "Form cohort", "program_id": "leadership-8-month", "language": "en",
        "time_zone": "", "browser_time_zone": "Europe/Rome"})
    assert made.status_code == 303
    page = browser_client.get(made.headers["location"]).text
    assert "Europe/Rome" in page
    refused = browser_client.post("/cohorts/new", {
        "name": "Bad", "program_id": "leadership-8-month", "time_zone": "Rome"})
    assert refused.status_code == 422 and "time_zone: " in refused.text


# --- opening the next session -----------------------------------------------------------


def test_opening_closes_the_previous_by_default(client: TestClient, auth: dict[str, str]) -> None:
    cohort = create(client, auth)
    first = open_next(client, auth, cohort["id"])
    second = open_next(client, auth, cohort["id"])
    assert second["closed_previous"] == [first["id"]]
    assert client.get(f"/api/v1/sessions/{first['id']}", headers=auth).json()["status"] == \
        "closed"
    third = open_next(client, auth, cohort["id"], close_previous=False)
    assert third["closed_previous"] == []
    assert client.get(f"/api/v1/sessions/{second['id']}", headers=auth).json()["status"] == \
        "open"


def test_web_form_offers_closing_checked(browser_client: Browser, client: TestClient,
                                         auth: dict[str, str]) -> None:
    cohort = create(client, auth)
    first = open_next(client, auth, cohort["id"])
    page = browser_client.get(f"/cohorts/{cohort['id']}").text
    box = re.search(r'<input type="checkbox" id="close_previous"[^>]*>', page)
    assert box and "checked" in box.group(0)
    deadline = re.search(r'id="deadline" name="deadline" value="([0-9-]+)"', page)
    assert deadline
    opened = browser_client.post(f"/cohorts/{cohort['id']}/sessions",
                                 {"deadline": deadline.group(1), "close_previous": "1"})
    assert opened.status_code == 303 and "session_opened_closed" in opened.headers["location"]
    assert client.get(f"/api/v1/sessions/{first['id']}", headers=auth).json()["status"] == \
        "closed"
    # Unticked: the previous session stays open.
    page = browser_client.get(f"/cohorts/{cohort['id']}").text
    deadline = re.search(r'id="deadline" name="deadline" value="([0-9-]+)"', page)
    assert deadline
    kept = browser_client.post(f"/cohorts/{cohort['id']}/sessions",
                               {"deadline": deadline.group(1)})
    assert kept.status_code == 303
    sessions = client.get(f"/api/v1/cohorts/{cohort['id']}/sessions", headers=auth).json()
    assert [s["status"] for s in sessions] == ["closed", "open", "open"]


def test_suggested_deadlines_follow_the_month(
    client: TestClient, auth: dict[str, str], db: Session,
) -> None:
    cohort = create(client, auth, time_zone="Europe/Rome")
    today = datetime.now(UTC).date()
    first = open_next(client, auth, cohort["id"],
                      deadline=end_of_local_day(today + timedelta(days=40),
                                                "Europe/Rome").isoformat())
    # Without a deadline: a month after session 1's, never before it.
    second = open_next(client, auth, cohort["id"])
    first_day = datetime.fromisoformat(first["deadline"]).astimezone(UTC)
    second_day = datetime.fromisoformat(second["deadline"]).astimezone(UTC)
    assert second_day > first_day
    assert 28 <= (second_day - first_day).days <= 31
    assert second["deadline_local"].endswith(("23:59 CET", "23:59 CEST"))
    # An earlier deadline than the previous session's is refused, naming the field.
    refused = client.post(f"/api/v1/cohorts/{cohort['id']}/sessions", headers=auth,
                          json={"deadline": (first_day + timedelta(days=1)).isoformat()})
    assert refused.status_code == 422 and "deadline" in refused.text
    # Long after the previous deadline, the suggestion is a week from today instead.
    model = db.get(CohortSession, second["id"])
    assert model is not None
    late = today + timedelta(days=200)
    assert service.suggested_deadline(model.cohort, late) == late + timedelta(days=7)


def test_month_arithmetic_keeps_the_end_of_months() -> None:
    add = service._add_months
    assert add(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add(date(2026, 12, 15), 1) == date(2027, 1, 15)


# --- closing, reopening, printing ---------------------------------------------------------


def test_reopen_until_the_pack_is_printed(
    client: TestClient, auth: dict[str, str], browser_client: Browser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reports, "session_pack",
                        lambda *a, **k: RenderedPDF(b"%PDF-1.7 fake", '"x"', "pack.pdf"))
    cohort = create(client, auth)
    s = open_next(client, auth, cohort["id"])
    url = f"/api/v1/sessions/{s['id']}"
    assert client.patch(url, headers=auth, json={"status": "closed"}).json()["status"] == \
        "closed"
    assert client.patch(url, headers=auth, json={"status": "open"}).json()["status"] == "open"
    assert client.patch(url, headers=auth, json={"status": "closed"}).status_code == 200
    assert client.get(f"{url}/reports/pack.pdf", headers=auth).status_code == 200
    printed = client.get(url, headers=auth).json()
    assert printed["pack_printed_at"] is not None
    refused = client.patch(url, headers=auth, json={"status": "open"})
    assert refused.status_code == 409
    assert "printed" in refused.json()["detail"]
    assert client.get(url, headers=auth).json()["status"] == "closed"
    # The web page no longer offers to reopen, and a forged form is refused too.
    page = browser_client.get(f"/sessions/{s['id']}").text
    assert "Reopen the session" not in page and "was printed on" in page
    forged = browser_client.post(f"/sessions/{s['id']}/settings", {"status": "open"})
    assert forged.status_code == 303 and "reopen_refused" in forged.headers["location"]
    assert client.get(url, headers=auth).json()["status"] == "closed"


def test_printing_while_open_then_closing_is_final(
    client: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reports, "session_zip",
                        lambda *a, **k: RenderedPDF(b"PK fake", '"z"', "pack.zip",
                                                    "application/zip"))
    cohort = create(client, auth)
    s = open_next(client, auth, cohort["id"])
    url = f"/api/v1/sessions/{s['id']}"
    assert client.get(f"{url}/reports/pack.zip", headers=auth).status_code == 200
    assert client.patch(url, headers=auth, json={"status": "closed"}).status_code == 200
    assert client.patch(url, headers=auth, json={"status": "open"}).status_code == 409


def test_cohort_file_sets_the_time_zone(db: Session, make_facilitator: Any,
                                        tmp_path: Path) -> None:
    me = make_facilitator()
    good = tmp_path / "cohort.yaml"
    good.write_text('name: "File cohort"\ntime_zone: Europe/Rome\n'
                    f"facilitators: [{me.email}]\n", encoding="utf-8")
    assert cohorts.import_cohort_file(db, good).time_zone == "Europe/Rome"
    bad = tmp_path / "bad.yaml"
    bad.write_text('name: "Bad"\ntime_zone: Rome\n' f"facilitators: [{me.email}]\n",
                   encoding="utf-8")
    with pytest.raises(Invalid, match="time_zone"):
        cohorts.import_cohort_file(db, bad)
