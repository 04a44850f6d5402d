"""The participant JSON API under /api/v1/p/{token}."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app.participation.models import Submission, SubmissionContact, SubmissionTie
from app.reports.models import CachedReport
from app.sessions.service import revoke_invitation
from tests.participation.participation_support import contact, sample_map


def put(client: Any, link: Any, data: Any, version: int | None = None, **kwargs: Any) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return client.put(link.api + "/map", json=data, headers=headers, **kwargs)


def count(db: Any, model: Any) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_get_returns_instrument_map_and_version(client, link, db):
    response = client.get(link.api)
    assert response.status_code == 200
    assert response.headers["etag"] == '"0"'
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["status"] == "not_started" and body["version"] == 0
    assert body["map"] == {"contacts": [], "ties": [], "commitments": []}
    assert body["session"]["open"] is True and body["session"]["number"] == 1
    purposes = {option["id"]: option["label"] for option in body["instrument"]["purposes"]}
    assert purposes["growth"] == "For my growth"
    assert body["instrument"]["fields"]["closeness"]["help"].startswith("1 means")
    assert "Finance" in body["instrument"]["suggestions"]["functions"]
    assert body["links"]["report_pdf"].endswith("/report.pdf")
    db.refresh(link.invitation)
    assert link.invitation.opened_at is not None


def test_get_in_italian(client, link):
    body = client.get(link.api, params={"lang": "it"}).json()
    assert body["language"] == "it"
    labels = {option["id"]: option["label"] for option in body["instrument"]["purposes"]}
    assert labels["growth"] == "Per la mia crescita"


def test_unknown_and_revoked_links_look_the_same(client, link, db):
    unknown = client.get("/api/v1/p/" + "x" * 43)
    revoke_invitation(link.invitation)
    db.flush()
    revoked = client.get(link.api)
    assert unknown.status_code == revoked.status_code == 404
    assert unknown.json() == revoked.json()
    assert client.put(link.api + "/map", json=sample_map()).status_code == 404
    assert client.get("/p/" + "x" * 43).status_code == 404
    assert client.get(link.page).status_code == 404


def test_save_draft_with_if_match(client, link, db):
    draft = {"contacts": [{"id": "a", "label": "M.R."}], "ties": [], "commitments": []}
    first = put(client, link, draft, version=0)
    assert first.status_code == 200, first.text
    assert first.headers["etag"] == '"1"'
    assert first.json()["status"] == "draft"
    # A draft is only the map: its contacts become rows (for queries) once submitted.
    assert count(db, SubmissionContact) == 0

    second = put(client, link, sample_map(), version=1)
    assert second.status_code == 200 and second.json()["version"] == 2
    assert count(db, SubmissionContact) == 0

    stale = put(client, link, draft, version=1)
    assert stale.status_code == 412
    assert "changed elsewhere" in stale.json()["detail"]
    assert stale.json()["current_version"] == 2

    # The same map from a stale tab changes nothing: no conflict, no new version.
    same = put(client, link, sample_map(), version=1)
    assert same.status_code == 200 and same.json()["version"] == 2
    # If-Match: * (or none) overwrites whatever is there.
    anyway = client.put(link.api + "/map", json=draft, headers={"If-Match": "*"})
    assert anyway.json()["version"] == 3
    assert client.get(link.api).headers["etag"] == '"3"'

    submitted = client.post(link.api + "/submit", json=sample_map(), headers={"If-Match": '"3"'})
    assert submitted.status_code == 200 and submitted.json()["version"] == 4
    assert count(db, SubmissionContact) == 3 and count(db, SubmissionTie) == 1


def test_first_save_conflicts_when_someone_else_saved_first(client, link):
    assert put(client, link, sample_map(), version=0).status_code == 200
    other = {"contacts": [{"id": "z", "label": "Z"}]}
    assert put(client, link, other, version=0).status_code == 412


def test_bad_if_match_is_400(client, link):
    response = client.put(link.api + "/map", json=sample_map(), headers={"If-Match": "yesterday"})
    assert response.status_code == 400
    assert "If-Match" in response.json()["detail"]


def test_validation_errors_name_the_field(client, link):
    data = sample_map()
    data["contacts"][1]["closeness"] = 9
    response = put(client, link, data)
    assert response.status_code == 422
    assert "contacts[1].closeness: must be between 1 and 5" in response.json()["errors"]


def test_submit_is_idempotent(client, link, db):
    assert put(client, link, sample_map(), version=0).status_code == 200
    first = client.post(link.api + "/submit", headers={"If-Match": '"1"'})
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "submitted" and first.json()["version"] == 2
    # A double click sends the old version again; a second tab sends the body again.
    again = client.post(link.api + "/submit", headers={"If-Match": '"1"'})
    tab = client.post(link.api + "/submit", json=sample_map(), headers={"If-Match": '"1"'})
    assert again.status_code == tab.status_code == 200
    assert again.json()["version"] == tab.json()["version"] == 2
    assert count(db, Submission) == 1


def test_submit_requires_a_complete_map(client, link):
    put(client, link, {"contacts": [{"id": "a", "label": "M.R."}]})
    response = client.post(link.api + "/submit")
    assert response.status_code == 422
    assert "contacts[0].purpose: required before submitting" in response.json()["errors"]
    empty = client.post(link.api + "/submit", json={"contacts": []})
    assert empty.status_code == 422


def test_edit_after_submitting_is_a_resubmission(client, link):
    assert client.post(link.api + "/submit", json=sample_map()).status_code == 200
    data = sample_map()
    data["contacts"].append(contact("d", "New"))
    response = put(client, link, data, version=1)
    assert response.status_code == 200
    assert response.json()["status"] == "submitted" and response.json()["version"] == 2
    incomplete = put(client, link, {"contacts": [{"id": "a", "label": "M.R."}]}, version=2)
    assert incomplete.status_code == 422


def test_deadline_passed_is_read_only(client, link, db):
    assert client.post(link.api + "/submit", json=sample_map()).status_code == 200
    link.session.deadline = datetime.now(UTC) - timedelta(minutes=1)
    db.flush()
    body = client.get(link.api).json()
    assert body["session"]["open"] is False and body["status"] == "submitted"
    refused = put(client, link, sample_map())
    assert refused.status_code == 403
    assert "deadline" in refused.json()["detail"]
    assert client.post(link.api + "/submit").status_code == 403
    page = client.get(link.page)
    assert page.status_code == 200
    assert "This session is closed" in page.text and "My report" in page.text


def test_report_pdf_needs_a_submission(client, link):
    assert client.get(link.api + "/report.pdf").status_code == 409
    client.post(link.api + "/submit", json=sample_map())
    response = client.get(link.api + "/report.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    etag = response.headers["etag"]
    again = client.get(link.api + "/report.pdf", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_export_has_everything_stored(client, link):
    client.post(link.api + "/submit", json=sample_map())
    response = client.get(link.api + "/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    body = response.json()
    assert body["participant"]["email"] == link.participant.email
    assert body["participant"]["organization"] == "Acme"
    [submission] = body["submissions"]
    assert submission["status"] == "submitted"
    assert submission["map"]["contacts"][0]["label"] == "M.R."
    assert body["links"][0]["opened_at"] is None


def test_delete_erases_rows_and_cached_reports(client, link, db):
    client.post(link.api + "/submit", json=sample_map())
    db.add(CachedReport(key="k" * 64, kind="individual", session_id=link.session.id,
                        participant_id=link.participant.id, template_version="1",
                        content=b"%PDF", byte_size=4))
    db.add(CachedReport(key="g" * 64, kind="group", session_id=link.session.id,
                        participant_id=None, template_version="1", content=b"%PDF", byte_size=4))
    db.flush()
    response = client.delete(link.api)
    assert response.status_code == 204 and response.content == b""
    assert count(db, Submission) == 0
    assert count(db, SubmissionContact) == 0 and count(db, SubmissionTie) == 0
    assert count(db, CachedReport) == 0
    assert client.delete(link.api).status_code == 204
    assert client.get(link.api).json()["status"] == "not_started"


def test_hostile_input_gets_4xx_never_5xx(client, link):
    raw = {
        "nan": b'{"contacts": [{"id": "a", "label": "x", "closeness": NaN}]}',
        "infinity": b'{"contacts": [{"id": "a", "label": "x", "closeness": Infinity}]}',
        "huge float": b'{"contacts": [{"id": "a", "label": "x", "closeness": 1e999}]}',
        "huge int": b'{"contacts": [{"id": "a", "label": "x", "closeness": ' + b"9" * 5000 + b"}]}",
        "duplicate key": b'{"contacts": [{"id": "a", "label": "x", "label": "y"}]}',
        "nul": b'{"contacts": [{"id": "a", "label": "x\\u0000y"}]}',
        "malformed": b'{"contacts": [',
        "not an object": b"[1, 2, 3]",
        "not utf-8": b'{"contacts": "\xff"}',
        "empty": b"",
        "deep": b"[" * 5000 + b"]" * 5000,
    }
    for name, body in raw.items():
        response = client.put(link.api + "/map", content=body,
                              headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text)
        assert response.json()["detail"], name
    nul = client.put(link.api + "/map", content=raw["nul"]).json()
    assert nul["errors"] == ["contacts[0].label: must not contain control characters such as NUL"]
    duplicate = client.put(link.api + "/map", content=raw["duplicate key"]).json()
    assert "'label' appears twice" in duplicate["detail"]

    too_many = {"contacts": [{"id": f"c{i}", "label": f"P{i}"} for i in range(251)]}
    assert put(client, link, too_many).status_code == 422
    long_label = {"contacts": [{"id": "a", "label": "x" * 41}]}
    assert "contacts[0].label: at most 40" in put(client, link, long_label).json()["errors"][0]
    wrong_types = {"contacts": [{"id": 5, "label": ["x"], "roles": "mentor", "i_helped": "yes"}]}
    assert put(client, link, wrong_types).status_code == 422
    big = client.put(link.api + "/map", content=b" " * 1_100_000)
    assert big.status_code == 413


def test_unusual_unicode_round_trips(client, link):
    labels = ["Zia 🌱", "\u202eevil\u202c", "Zoe\u0301", "<script>alert(1)</script>", "李雷"]
    data = {"contacts": [{"id": f"c{i}", "label": label} for i, label in enumerate(labels)]}
    assert put(client, link, data).status_code == 200
    stored = client.get(link.api).json()["map"]["contacts"]
    assert [item["label"] for item in stored] == labels
    page = client.get(link.page).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_token_never_reaches_the_logs(client, link, caplog):
    caplog.set_level(logging.DEBUG)
    client.get(link.page)
    client.put(link.api + "/map", content=b"{bad")
    client.get(link.api + "/report.pdf")
    # httpx is the test's own client logging what it requested; everything else is the server.
    server_lines = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert all(link.token not in line for line in server_lines)


def test_guessing_links_is_throttled_and_logged_without_the_token(
    settings, database, caplog
):
    from fastapi.testclient import TestClient

    from app.main import create_app

    throttled = create_app(
        settings.model_copy(update={"failed_lookup_rate_limit": "3/minute"}), database
    )
    caplog.set_level(logging.WARNING)
    guess = "g" * 43
    with TestClient(throttled) as client:
        codes = [client.get(f"/api/v1/p/{guess}").status_code for _ in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[-1] == 429
    assert "rate limit" in caplog.text and guess not in caplog.text


def test_openapi_documents_the_participant_operations(client):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    base = "/api/v1/p/{token}"
    assert set(paths[base]) == {"get", "delete"}
    for path in (base + "/map", base + "/submit", base + "/report.pdf", base + "/export"):
        assert path in paths
        for operation in paths[path].values():
            assert operation["tags"] == ["participant"]
    put_map = paths[base + "/map"]["put"]
    body_schema = put_map["requestBody"]["content"]["application/json"]["schema"]
    assert "contacts" in body_schema["properties"]
    assert {"200", "404", "412", "422"} <= set(put_map["responses"])
    assert "If-Match" in {p["name"].title() for p in put_map["parameters"] if p["in"] == "header"}


def test_a_draft_card_without_a_nickname_comes_back(client, link):
    draft = {"contacts": [{"id": "a", "label": "", "purpose": "growth", "closeness": 4,
                           "function": "Finance"}], "ties": [], "commitments": []}
    saved = client.put(link.api + "/map", json=draft, headers={"If-Match": '"0"'})
    assert saved.status_code == 200, saved.text
    [back] = client.get(link.api).json()["map"]["contacts"]
    assert {key: back[key] for key in draft["contacts"][0]} == draft["contacts"][0]
    refused = client.post(link.api + "/submit", headers={"If-Match": '"1"'})
    assert refused.status_code == 422
    assert any(line.startswith("contacts[0].label") for line in refused.json()["errors"])


def test_last_contact_after_the_session_month_is_refused(client, link):
    for month in ("2099-01", "0000-01", "1949-12"):
        sent = sample_map()
        sent["contacts"][1]["last_contact"] = month
        response = client.put(link.api + "/map", json=sent)
        assert response.status_code == 422, month
        assert [line for line in response.json()["errors"]
                if line.startswith("contacts[1].last_contact: must be between 1950-01 and ")]
