"""The facilitator JSON API: cohorts, rosters, sessions, links, analysis, exports."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.sessions.service import find_invitation
from tests.cohorts.conftest import bearer

REPO_ROOT = Path(__file__).resolve().parents[2]

ROSTER = (REPO_ROOT / "cohorts" / "example" / "roster.csv").read_bytes()


def create(client: TestClient, auth: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/cohorts", json={"name": "Spring cohort", **body},
                           headers=auth)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_create_list_get_delete(client: TestClient, auth: dict[str, str]) -> None:
    cohort = create(client, auth, language="it",
                    participants=[{"name": "Ada", "email": "ADA@example.org"}])
    assert cohort["program_id"] == "leadership-8-month"
    assert cohort["language"] == "it"
    assert cohort["participant_count"] == 1
    assert cohort["next_session_number"] == 1 and cohort["program_sessions"] == 8
    listed = client.get("/api/v1/cohorts", headers=auth).json()
    assert [c["id"] for c in listed] == [cohort["id"]]
    assert client.get(f"/api/v1/cohorts/{cohort['id']}", headers=auth).json()["name"] == \
        "Spring cohort"
    participants = client.get(f"/api/v1/cohorts/{cohort['id']}/participants", headers=auth)
    assert participants.json()[0]["email"] == "ada@example.org"
    assert client.delete(f"/api/v1/cohorts/{cohort['id']}", headers=auth).status_code == 204
    assert client.get(f"/api/v1/cohorts/{cohort['id']}", headers=auth).status_code == 404


def test_create_refuses_bad_input_whole(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post("/api/v1/cohorts", json={"name": "X", "program_id": "../etc/passwd"},
                           headers=auth)
    assert response.status_code == 422
    assert "program" in response.json()["detail"][0]["msg"]
    response = client.post(
        "/api/v1/cohorts", headers=auth,
        json={"name": "X", "participants": [{"name": "A", "email": "a@example.org"},
                                            {"name": "B", "email": "a@example.org"}]},
    )
    assert response.status_code == 422
    assert client.get("/api/v1/cohorts", headers=auth).json() == []  # nothing half-made


def test_import_roster_csv(client: TestClient, auth: dict[str, str]) -> None:
    cohort = create(client, auth)
    url = f"/api/v1/cohorts/{cohort['id']}/participants/import"
    response = client.post(url, files={"file": ("roster.csv", ROSTER, "text/csv")}, headers=auth)
    assert response.status_code == 201, response.text
    assert response.json()["added"] == 8
    names = {p["name"] for p in response.json()["participants"]}
    assert "Nicolò D'Amico" in names and "Søren Kjær" in names
    again = client.post(url, files={"file": ("roster.csv", ROSTER, "text/csv")}, headers=auth)
    assert again.status_code == 201  # a re-upload merges: everybody is already there
    assert (again.json()["added"], again.json()["unchanged"]) == (0, 8)


def test_import_reports_every_bad_row_and_adds_nothing(client: TestClient,
                                                       auth: dict[str, str]) -> None:
    cohort = create(client, auth)
    csv_text = (
        "name,email,organization\n"
        "Good One,good@example.org,Acme\n"
        ",missing-name@example.org,Acme\n"
        "Bad Email,not-an-email,Acme\n"
        "Twice,good@example.org,Acme\n"
    )
    response = client.post(
        f"/api/v1/cohorts/{cohort['id']}/participants/import",
        files={"file": ("roster.csv", csv_text.encode(), "text/csv")}, headers=auth,
    )
    assert response.status_code == 422
    messages = [item["msg"] for item in response.json()["detail"]]
    assert any(m.startswith("row 3, name") for m in messages), messages
    assert any(m.startswith("row 4, email") for m in messages), messages
    assert any(m.startswith("row 5, email") and "repeats row 2" in m for m in messages), messages
    assert client.get(f"/api/v1/cohorts/{cohort['id']}/participants", headers=auth).json() == []


def test_import_rejects_odd_files(client: TestClient, auth: dict[str, str]) -> None:
    cohort = create(client, auth)
    url = f"/api/v1/cohorts/{cohort['id']}/participants/import"
    for content, expected in (
        (b"\xff\xfe\x00n\x00a", "UTF-8"),
        (b"name,email\n", "no participants"),
        (b"who,mail\nA,a@example.org\n", "missing column"),
        (b"name,email\nA\x00,a@example.org\n", "NUL"),
        ("name;email\nBianchi\u202e,b@example.org\n".encode(), "control character"),
    ):
        response = client.post(url, files={"file": ("r.csv", content, "text/csv")}, headers=auth)
        assert response.status_code == 422, (content, response.text)
        assert expected in response.text, (content, response.text)
    semicolons = b"name;email;organization\nAnna;anna@example.org;Acme\n"
    response = client.post(url, files={"file": ("r.csv", semicolons, "text/csv")}, headers=auth)
    assert response.status_code == 201 and response.json()["added"] == 1


def test_edit_and_remove_participants(client: TestClient, auth: dict[str, str]) -> None:
    cohort = create(client, auth, participants=[
        {"name": "Ada", "email": "ada@example.org"}, {"name": "Bo", "email": "bo@example.org"}])
    base = f"/api/v1/cohorts/{cohort['id']}/participants"
    ada, bo = client.get(base, headers=auth).json()
    response = client.patch(f"{base}/{ada['id']}", json={"name": "Ada L.", "function": "HR"},
                            headers=auth)
    assert response.status_code == 200
    assert response.json()["name"] == "Ada L." and response.json()["email"] == "ada@example.org"
    clash = client.patch(f"{base}/{ada['id']}", json={"email": "bo@example.org"}, headers=auth)
    assert clash.status_code == 422
    assert client.patch(f"{base}/{ada['id']}", json={"name": None}, headers=auth
                        ).status_code == 422
    assert client.delete(f"{base}/{bo['id']}", headers=auth).status_code == 204
    assert [p["name"] for p in client.get(base, headers=auth).json()] == ["Ada L."]
    assert client.delete(f"{base}/{bo['id']}", headers=auth).status_code == 404


def test_co_facilitators(client: TestClient, auth: dict[str, str], make_facilitator: Any) -> None:
    cohort = create(client, auth)
    colleague = make_facilitator("colleague@example.org")
    url = f"/api/v1/cohorts/{cohort['id']}/facilitators"
    assert client.post(url, json={"email": "nobody@example.org"}, headers=auth
                       ).status_code == 422
    response = client.post(url, json={"email": "Colleague@Example.org"}, headers=auth)
    assert response.status_code == 201
    assert {f["email"] for f in response.json()} == {colleague.email, cohort["facilitators"][0][
        "email"]}
    theirs = bearer(client, colleague.email)
    assert client.get(f"/api/v1/cohorts/{cohort['id']}", headers=theirs).status_code == 200
    # The colleague removes the creator; the last one cannot leave.
    creator_id = cohort["facilitators"][0]["id"]
    assert client.delete(f"{url}/{creator_id}", headers=theirs).status_code == 204
    assert client.get(f"/api/v1/cohorts/{cohort['id']}", headers=auth).status_code == 404
    assert client.delete(f"{url}/{colleague.id}", headers=theirs).status_code == 422


def test_sessions_links_and_progress(client: TestClient, auth: dict[str, str], db: Session,
                                     settings: Any) -> None:
    cohort = create(client, auth, participants=[
        {"name": "Ada", "email": "ada@example.org"}, {"name": "Bo", "email": "bo@example.org"}])
    deadline = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0)
    response = client.post(f"/api/v1/cohorts/{cohort['id']}/sessions",
                           json={"deadline": deadline.isoformat()}, headers=auth)
    assert response.status_code == 201, response.text
    session = response.json()
    assert session["number"] == 1 and session["title"] == "Leading yourself"
    assert session["deadline"] in (deadline.isoformat().replace("+00:00", "Z"),
                                   deadline.isoformat())
    assert session["progress"] == {"invited": 2, "submitted": 0, "draft": 0, "opened": 0,
                                   "not_opened": 2, "revoked": 0}
    second = client.post(f"/api/v1/cohorts/{cohort['id']}/sessions", headers=auth)
    assert second.status_code == 201 and second.json()["number"] == 2

    links = client.get(f"/api/v1/sessions/{session['id']}/links", headers=auth).json()
    assert [link["name"] for link in links] == ["Ada", "Bo"]
    assert all(link["link"].startswith("http://testserver/p/") for link in links)
    token = links[0]["link"].rsplit("/", 1)[1]
    assert find_invitation(db, token) is not None

    csv_text = client.get(f"/api/v1/sessions/{session['id']}/links.csv", headers=auth)
    assert csv_text.headers["content-type"].startswith("text/csv")
    assert links[1]["link"] in csv_text.text

    invitation = links[0]["invitation_id"]
    base = f"/api/v1/sessions/{session['id']}/invitations/{invitation}"
    revoked = client.post(f"{base}/revoke", headers=auth).json()
    assert revoked["status"] == "revoked" and revoked["link"] is None
    assert find_invitation(db, token) is None
    reissued = client.post(f"{base}/reissue", headers=auth).json()
    assert reissued["status"] == "not_opened" and reissued["link"] != links[0]["link"]
    assert find_invitation(db, reissued["link"].rsplit("/", 1)[1]) is not None
    assert find_invitation(db, token) is None

    moved = client.patch(f"/api/v1/sessions/{session['id']}",
                         json={"deadline": (deadline + timedelta(days=3)).isoformat(),
                               "status": "closed"}, headers=auth)
    assert moved.status_code == 200 and moved.json()["status"] == "closed"
    for deadline_text in ("2000-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00",
                          "0001-01-01T00:00:00+01:00"):
        bad = client.patch(f"/api/v1/sessions/{session['id']}",
                           json={"deadline": deadline_text}, headers=auth)
        assert bad.status_code == 422, (deadline_text, bad.text)
    far = client.post(f"/api/v1/cohorts/{cohort['id']}/sessions",
                      json={"opens_on": "1999-01-01"}, headers=auth)
    assert far.status_code == 422 and "opens_on" in far.text


def test_progress_follows_submissions(client: TestClient, auth: dict[str, str], db: Session,
                                      submit_maps: Any) -> None:
    cohort = create(client, auth, participants=[
        {"name": f"P{i}", "email": f"p{i}@example.org"} for i in range(5)])
    session = client.post(f"/api/v1/cohorts/{cohort['id']}/sessions", headers=auth).json()
    submit_maps(session["id"], submitted=3, drafts=1)
    body = client.get(f"/api/v1/sessions/{session['id']}", headers=auth).json()
    assert body["progress"]["submitted"] == 3 and body["progress"]["draft"] == 1
    assert body["progress"]["not_opened"] == 1
    statuses = sorted(p["status"] for p in body["participants"])
    assert statuses == ["draft", "not_opened", "submitted", "submitted", "submitted"]


def test_group_analysis_suppresses_small_groups_and_never_shows_labels(
    client: TestClient, auth: dict[str, str], submit_maps: Any
) -> None:
    cohort = create(client, auth, participants=[
        {"name": f"P{i}", "email": f"p{i}@example.org"} for i in range(5)])
    session = client.post(f"/api/v1/cohorts/{cohort['id']}/sessions", headers=auth).json()
    url = f"/api/v1/sessions/{session['id']}/group"
    labels = submit_maps(session["id"], submitted=2)
    small = client.get(url, headers=auth).json()
    assert small["suppressed"] is True
    assert small["participation"]["submitted"] == 2
    assert all(d is None for d in small["distributions"].values())
    labels += submit_maps(session["id"], submitted=3, skip=2)
    full = client.get(url, headers=auth)
    assert full.json()["suppressed"] is False
    assert full.json()["distributions"]["size"]["n"] == 5
    assert labels and not any(label in full.text for label in labels)
    page = client.get(f"/api/v1/sessions/{session['id']}/group?lang=it", headers=auth)
    assert page.status_code == 200


def test_exports(client: TestClient, auth: dict[str, str], submit_maps: Any) -> None:
    cohort = create(client, auth, participants=[
        {"name": f"P{i}", "email": f"p{i}@example.org"} for i in range(3)])
    session = client.post(f"/api/v1/cohorts/{cohort['id']}/sessions", headers=auth).json()
    submit_maps(session["id"], submitted=2)
    base = f"/api/v1/sessions/{session['id']}"
    data = client.get(f"{base}/export.csv", headers=auth)
    assert data.status_code == 200 and "attachment" in data.headers["content-disposition"]
    lines = data.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("session,participant_id,participant,status")
    assert any(",not_opened," in line for line in lines)
    egor = zipfile.ZipFile(io.BytesIO(client.get(f"{base}/export/egor.zip", headers=auth).content))
    assert set(egor.namelist()) >= {"egos.csv", "alters.csv", "alter_ties.csv"}
    assert egor.read("egos.csv").decode().count("\n") == 3  # header + 2 egos
    graphs = zipfile.ZipFile(io.BytesIO(
        client.get(f"{base}/export/graphml.zip", headers=auth).content))
    assert len(graphs.namelist()) == 2
    assert b"<graphml" in graphs.read(graphs.namelist()[0])


def test_pdf_downloads(client: TestClient, auth: dict[str, str], submit_maps: Any) -> None:
    cohort = create(client, auth, participants=[
        {"name": f"P{i}", "email": f"p{i}@example.org"} for i in range(3)])
    session = client.post(f"/api/v1/cohorts/{cohort['id']}/sessions", headers=auth).json()
    submit_maps(session["id"], submitted=3)
    base = f"/api/v1/sessions/{session['id']}/reports"
    participant = client.get(f"/api/v1/sessions/{session['id']}", headers=auth
                             ).json()["participants"][0]["participant_id"]
    for url, magic in ((f"{base}/group.pdf", b"%PDF"), (f"{base}/pack.pdf", b"%PDF"),
                       (f"{base}/pack.zip", b"PK\x03\x04"), (f"{base}/{participant}.pdf", b"%PDF")):
        response = client.get(url, headers=auth)
        assert response.status_code == 200, (url, response.text)
        assert response.content.startswith(magic), url
        assert "attachment" in response.headers["content-disposition"] or url.endswith(
            ("group.pdf", f"{participant}.pdf"))
        again = client.get(url, headers={**auth, "If-None-Match": response.headers["etag"]})
        assert again.status_code == 304, url
    assert client.get(f"{base}/999999.pdf", headers=auth).status_code == 404


def test_openapi_documents_the_facilitator_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/auth/token", "/api/v1/cohorts", "/api/v1/cohorts/{cohort_id}",
                 "/api/v1/cohorts/{cohort_id}/participants/import",
                 "/api/v1/sessions/{session_id}/links", "/api/v1/sessions/{session_id}/remind",
                 "/api/v1/sessions/{session_id}/reports/pack.pdf",
                 "/api/v1/sessions/{session_id}/export/egor.zip"):
        assert path in paths, path
    assert paths["/api/v1/auth/token"]["post"]["tags"] == ["auth"]
    assert paths["/api/v1/cohorts"]["get"]["tags"] == ["cohorts"]
    assert paths["/api/v1/sessions/{session_id}"]["get"]["tags"] == ["sessions"]
    components = schema["components"]["schemas"]
    assert components["CohortOut"].get("examples")
    assert components["SessionDetail"].get("examples")
    assert not any(p.startswith(("/cohorts", "/sessions", "/login")) for p in paths)


def test_hostile_text_is_refused_not_a_500(client: TestClient, auth: dict[str, str]) -> None:
    for name in ("bad\x00name", "spoof\u202etxt.exe", "line\nbreak"):
        response = client.post("/api/v1/cohorts", json={"name": name}, headers=auth)
        assert response.status_code == 422, (name, response.text)
    cohort = create(client, auth)
    emoji = client.post(f"/api/v1/cohorts/{cohort['id']}/participants", headers=auth,
                        json=[{"name": "Zoë 🌱 Müller", "email": "zoe@example.org"}])
    assert emoji.status_code == 201 and emoji.json()[0]["name"] == "Zoë 🌱 Müller"
