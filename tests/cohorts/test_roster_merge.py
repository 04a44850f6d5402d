"""Roster re-uploads merge: a preview (new, changed, unchanged, problems by row and field),
then adding and updating in one transaction, re-checked on confirmation."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.cohorts.conftest import Browser

FIRST = (
    "name,email,organization,function\n"
    "Ada Lovelace,ada@example.org,Analytical,Research\n"
    "Bob Stone,bob@example.org,Quarry,Sales\n"
    "Cleo Nile,cleo@example.org,Delta,Legal\n"
)
# Bob moved company, Cleo's function cell is empty (kept), two late joiners.
SECOND = (
    "name,email,organization,function\n"
    "Ada Lovelace,ADA@example.org,Analytical,Research\n"
    "Bob Stone,bob@example.org,Granite,Sales\n"
    "Cleo Nile,cleo@example.org,Delta,\n"
    "Dan Late,dan@example.org,Acme,Ops\n"
    "Eve Later,eve@example.org,,\n"
)


def _file(text: str) -> dict[str, Any]:
    return {"file": ("roster.csv", text.encode(), "text/csv")}


def _cohort(client: TestClient, auth: dict[str, str]) -> int:
    response = client.post("/api/v1/cohorts", headers=auth, json={"name": "Merge cohort"})
    assert response.status_code == 201, response.text
    cohort_id: int = response.json()["id"]
    first = client.post(f"/api/v1/cohorts/{cohort_id}/participants/import", headers=auth,
                        files=_file(FIRST))
    assert first.status_code == 201 and first.json()["added"] == 3
    return cohort_id


def _roster(client: TestClient, auth: dict[str, str], cohort_id: int) -> dict[str, Any]:
    rows = client.get(f"/api/v1/cohorts/{cohort_id}/participants", headers=auth).json()
    return {row["email"]: row for row in rows}


def test_preview_then_apply(client: TestClient, auth: dict[str, str]) -> None:
    cohort_id = _cohort(client, auth)
    session = client.post(f"/api/v1/cohorts/{cohort_id}/sessions", headers=auth, json={})
    assert session.status_code == 201
    before = _roster(client, auth, cohort_id)
    url = f"/api/v1/cohorts/{cohort_id}/participants/import"
    preview = client.post(f"{url}/preview", headers=auth, files=_file(SECOND))
    assert preview.status_code == 200, preview.text
    plan = preview.json()
    assert [(r["row"], r["email"]) for r in plan["new"]] == [(5, "dan@example.org"),
                                                            (6, "eve@example.org")]
    assert plan["changed"] == [{
        "row": 3, "participant_id": before["bob@example.org"]["id"], "name": "Bob Stone",
        "email": "bob@example.org",
        "changes": [{"field": "organization", "old": "Quarry", "new": "Granite"}],
    }]
    assert sorted(r["email"] for r in plan["unchanged"]) == ["ada@example.org",
                                                            "cleo@example.org"]
    assert plan["problems"] == [] and plan["can_apply"] is True
    assert _roster(client, auth, cohort_id) == before  # a dry run stores nothing

    applied = client.post(url, headers=auth, files=_file(SECOND),
                          data={"digest": plan["digest"]})
    assert applied.status_code == 201, applied.text
    result = applied.json()
    assert (result["added"], result["updated"], result["unchanged"]) == (2, 1, 2)
    after = _roster(client, auth, cohort_id)
    assert after["bob@example.org"]["organization"] == "Granite"
    assert after["cleo@example.org"]["function"] == "Legal"  # an empty cell keeps it
    assert set(after) == set(before) | {"dan@example.org", "eve@example.org"}
    # The new people have links in the open session.
    links = client.get(f"/api/v1/sessions/{session.json()['id']}/links", headers=auth).json()
    assert {link["email"] for link in links} == set(after)


def test_problems_by_row_and_field_and_nothing_written(
    client: TestClient, auth: dict[str, str],
) -> None:
    cohort_id = _cohort(client, auth)
    before = _roster(client, auth, cohort_id)
    bad = (
        "name,email,organization,language\n"
        "Bob Stone,bob@example.org,Granite,\n"      # a good change ...
        "New Person,new@example.org,,\n"            # ... and a good new row
        ",nameless@example.org,,\n"                 # row 4: name
        "Bad Mail,not-an-email,,\n"                 # row 5: email
        "Twice,new@example.org,,\n"                 # row 6: repeats row 3
        "Lang,lang@example.org,,fr\n"               # row 7: language
    )
    url = f"/api/v1/cohorts/{cohort_id}/participants/import"
    plan = client.post(f"{url}/preview", headers=auth, files=_file(bad)).json()
    assert plan["can_apply"] is False
    problems = {(p["row"], p["field"]) for p in plan["problems"]}
    assert problems == {(4, "name"), (5, "email"), (6, "email"), (7, "language")}
    assert any("repeats row 3" in p["message"] for p in plan["problems"])
    applied = client.post(url, headers=auth, files=_file(bad))
    assert applied.status_code == 422
    messages = [item["msg"] for item in applied.json()["detail"]]
    assert any(m.startswith("row 4, name") for m in messages), messages
    assert any(m.startswith("row 6, email") for m in messages), messages
    assert _roster(client, auth, cohort_id) == before  # not even Bob's good change


def test_confirm_rechecks_against_the_roster_now(
    client: TestClient, auth: dict[str, str],
) -> None:
    cohort_id = _cohort(client, auth)
    url = f"/api/v1/cohorts/{cohort_id}/participants/import"
    plan = client.post(f"{url}/preview", headers=auth, files=_file(SECOND)).json()
    # Meanwhile someone adds Dan by hand and edits Bob.
    client.post(f"/api/v1/cohorts/{cohort_id}/participants", headers=auth,
                json=[{"name": "Dan Late", "email": "dan@example.org"}])
    before = _roster(client, auth, cohort_id)
    stale = client.post(url, headers=auth, files=_file(SECOND),
                        data={"digest": plan["digest"]})
    assert stale.status_code == 409 and "preview" in stale.json()["detail"]
    assert _roster(client, auth, cohort_id) == before
    fresh = client.post(f"{url}/preview", headers=auth, files=_file(SECOND)).json()
    assert [r["email"] for r in fresh["new"]] == ["eve@example.org"]
    assert client.post(url, headers=auth, files=_file(SECOND),
                       data={"digest": fresh["digest"]}).status_code == 201


def test_web_preview_and_confirm(browser_client: Browser, client: TestClient,
                                 auth: dict[str, str]) -> None:
    cohort_id = _cohort(client, auth)
    preview = browser_client.post(f"/cohorts/{cohort_id}/participants/import",
                                  files={"roster": ("r.csv", SECOND.encode(), "text/csv")})
    assert preview.status_code == 200
    text = preview.text
    assert "2 new people to add" in text and "1 person with changed fields" in text
    assert "2 unchanged" in text and "0 problems" in text
    assert "Dan Late" in text and "Granite" in text and "Quarry" in text
    assert 'data-label="' in text  # the tables stack as cards on a phone
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', text)
    roster_text = re.search(r'<textarea name="roster_text" hidden>(.*?)</textarea>', text, re.S)
    assert digest and roster_text
    assert _roster(client, auth, cohort_id).get("dan@example.org") is None
    done = browser_client.post(f"/cohorts/{cohort_id}/participants/import/confirm",
                               {"roster_text": SECOND, "digest": digest.group(1)})
    assert done.status_code == 303
    assert "n=2" in done.headers["location"] and "updated=1" in done.headers["location"]
    page = browser_client.get(done.headers["location"]).text
    assert "Added: 2. Updated: 1." in page
    # Confirming the same preview again: the roster has changed since, so it is shown anew.
    again = browser_client.post(f"/cohorts/{cohort_id}/participants/import/confirm",
                                {"roster_text": SECOND, "digest": digest.group(1)})
    assert again.status_code == 409 and "changed since" in again.text
    assert "0 new people to add" in again.text


def test_web_preview_lists_problems_without_confirm(browser_client: Browser,
                                                    client: TestClient,
                                                    auth: dict[str, str]) -> None:
    cohort_id = _cohort(client, auth)
    bad = "name,email\nGood,good@example.org\nBad,bad-mail\nGood Again,good@example.org\n"
    preview = browser_client.post(f"/cohorts/{cohort_id}/participants/import",
                                  files={"roster": ("r.csv", bad.encode(), "text/csv")})
    assert preview.status_code == 422
    assert 'id="problems"' in preview.text and "repeats row 2" in preview.text
    assert "/participants/import/confirm" not in preview.text
    # A forged confirmation of a bad file is refused too, and writes nothing.
    forged = browser_client.post(f"/cohorts/{cohort_id}/participants/import/confirm",
                                 {"roster_text": bad, "digest": "0" * 32})
    assert forged.status_code == 422
    assert "good@example.org" not in _roster(client, auth, cohort_id)


def test_web_preview_escapes_roster_text(browser_client: Browser, client: TestClient,
                                         auth: dict[str, str]) -> None:
    cohort_id = _cohort(client, auth)
    hostile = ("name,email,organization\n"
               "Mallory,mallory@example.org,<img src=x onerror=alert(1)></textarea>\n")
    preview = browser_client.post(f"/cohorts/{cohort_id}/participants/import",
                                  files={"roster": ("r.csv", hostile.encode(), "text/csv")})
    assert preview.status_code == 200
    assert "<img src=x" not in preview.text
    assert preview.text.count("</textarea>") == 1  # the form's own, none from the file
    assert "&lt;img src=x onerror=alert(1)&gt;" in preview.text
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview.text)
    assert digest
    done = browser_client.post(f"/cohorts/{cohort_id}/participants/import/confirm",
                               {"roster_text": hostile, "digest": digest.group(1)})
    assert done.status_code == 303
    stored = _roster(client, auth, cohort_id)["mallory@example.org"]
    assert stored["organization"] == "<img src=x onerror=alert(1)></textarea>"
