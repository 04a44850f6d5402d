"""Two facilitators × every facilitator route: nobody reaches a cohort they do not facilitate.

The routes are enumerated from the app, so a new route is covered (or makes this
test fail until it is given a body below) without anyone remembering to add it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cohorts.models import Cohort, Participant
from app.participation.models import Submission
from app.sessions.models import Invitation
from tests.cohorts.conftest import Browser, bearer

FACILITATOR_PREFIXES = ("/api/v1/cohorts", "/api/v1/sessions", "/cohorts", "/sessions")
PARAM = re.compile(r"{(\w+)}")

# Bodies good enough to get past validation, so only the ownership check can refuse.
JSON_BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/cohorts/{cohort_id}/participants"): [
        {"name": "Intruder", "email": "intruder@example.org"}],
    ("PATCH", "/api/v1/cohorts/{cohort_id}/participants/{participant_id}"): {"name": "Renamed"},
    ("POST", "/api/v1/cohorts/{cohort_id}/facilitators"): {"email": "{a_email}"},
    ("POST", "/api/v1/cohorts/{cohort_id}/sessions"): {},
    ("PATCH", "/api/v1/sessions/{session_id}"): {"status": "closed"},
    ("POST", "/api/v1/sessions/{session_id}/send-links"): {"resend": True},
}
FILE_ROUTES = {("POST", "/api/v1/cohorts/{cohort_id}/participants/import")}
FORM_FIELDS = {
    "name": "Intruder", "email": "intruder@example.org", "deadline": "2099-01-01",
    "status": "closed", "confirm_name": "{b_cohort_name}", "program_id": "leadership-8-month",
    "language": "en",
}
ROSTER = b"name,email\nIntruder,intruder@example.org\n"


def facilitator_routes(app: Any) -> list[tuple[str, str]]:
    routes = []
    for context in iter_route_contexts(app.routes):
        path = context.path
        if not path or not path.startswith(FACILITATOR_PREFIXES):
            continue
        for method in sorted(context.methods or ()):
            if method != "HEAD":
                routes.append((method, path))
    return routes


@pytest.fixture
def two_worlds(db: Session, make_facilitator: Any, make_cohort: Any, make_session: Any,
               submit_maps: Any, settings: Any) -> dict[str, Any]:
    """Facilitator A and B, each with a cohort, a session with submissions, and links."""
    worlds: dict[str, Any] = {}
    for key in ("a", "b"):
        facilitator = make_facilitator()
        cohort = make_cohort(facilitator, participants=4, name=f"Cohort of {key.upper()} Secret")
        cohort_session = make_session(cohort)
        submit_maps(cohort_session.id, submitted=3)
        worlds[key] = {
            "facilitator": facilitator, "cohort": cohort, "session": cohort_session,
            "participant": cohort.participants[0],
            "invitation": next(i for i in cohort_session.invitations
                               if i.participant_id == cohort.participants[0].id),
        }
    db.flush()
    return worlds


def fill(path: str, ids: dict[str, int]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in ids, f"{path}: add {name!r} to the authorization matrix"
        return str(ids[name])

    return PARAM.sub(value, path)


def ids_of(world: dict[str, Any]) -> dict[str, int]:
    return {
        "cohort_id": world["cohort"].id, "session_id": world["session"].id,
        "participant_id": world["participant"].id, "invitation_id": world["invitation"].id,
        "facilitator_id": world["facilitator"].id,
    }


def request(client: TestClient, method: str, path: str, url: str, *, api_headers: dict[str, str],
            csrf: str, a: dict[str, Any], b: dict[str, Any]) -> Any:
    if path.startswith("/api/"):
        if (method, path) in FILE_ROUTES:
            return client.request(method, url, headers=api_headers,
                                  files={"file": ("r.csv", ROSTER, "text/csv")})
        body = JSON_BODIES.get((method, path))
        if isinstance(body, dict) and body.get("email") == "{a_email}":
            body = {"email": a["facilitator"].email}
        if method in ("GET", "DELETE"):
            return client.request(method, url, headers=api_headers)
        return client.request(method, url, headers=api_headers, json=body)
    if method == "GET":
        return client.get(url, follow_redirects=False)
    form = {k: (b["cohort"].name if v == "{b_cohort_name}" else v) for k, v in FORM_FIELDS.items()}
    files = {"roster": ("r.csv", ROSTER, "text/csv")} if path.endswith("/import") else None
    return client.post(url, data={"csrf_token": csrf, **form}, files=files,
                       follow_redirects=False)


def snapshot(db: Session, world: dict[str, Any]) -> tuple[Any, ...]:
    db.expire_all()
    cohort_id = world["cohort"].id
    invitations = db.execute(
        select(Invitation.id, Invitation.token_hash, Invitation.revoked_at,
               Invitation.email_status)
        .where(Invitation.session_id == world["session"].id).order_by(Invitation.id)
    ).all()
    participants = db.execute(
        select(Participant.id, Participant.name, Participant.email)
        .where(Participant.cohort_id == cohort_id).order_by(Participant.id)
    ).all()
    cohort = db.get(Cohort, cohort_id)
    assert cohort is not None
    return (
        cohort.name, [f.id for f in cohort.facilitators], [s.status for s in cohort.sessions],
        len(cohort.sessions), tuple(invitations), tuple(participants),
        db.scalar(select(func.count()).select_from(Submission)
                  .where(Submission.session_id == world["session"].id)),
    )


def test_the_matrix_covers_every_facilitator_route(app: Any) -> None:
    routes = facilitator_routes(app)
    assert len(routes) >= 40
    methods = {method for method, _ in routes}
    assert methods >= {"GET", "POST", "PATCH", "DELETE"}


def test_nobody_reaches_another_facilitators_cohort(
    app: Any, client: TestClient, db: Session, two_worlds: dict[str, Any]
) -> None:
    a, b = two_worlds["a"], two_worlds["b"]
    api_headers = bearer(client, a["facilitator"].email)
    browser = Browser(client, a["facilitator"]).sign_in()
    before = snapshot(db, b)
    secrets = [b["cohort"].name, *(p.name for p in b["cohort"].participants),
               *(p.email for p in b["cohort"].participants)]

    # B's ids everywhere, and A's cohort or session mixed with B's participant or link.
    mixed = {**ids_of(b)}
    own_cohort_foreign_rest = {**ids_of(b), "cohort_id": a["cohort"].id,
                               "session_id": a["session"].id}
    checked = 0
    for method, path in facilitator_routes(app):
        if not PARAM.search(path):
            continue  # lists and "new" forms: checked below
        variants = [mixed]
        if len(PARAM.findall(path)) > 1:
            variants.append(own_cohort_foreign_rest)
        for ids in variants:
            url = fill(path, ids)
            response = request(client, method, path, url, api_headers=api_headers,
                               csrf=browser.csrf, a=a, b=b)
            assert response.status_code in (403, 404), (method, url, response.status_code,
                                                        response.text[:300])
            for secret in secrets:
                assert secret not in response.text, (method, url, secret)
            checked += 1
    assert checked >= 40
    assert snapshot(db, b) == before  # nothing of B's changed

    # The lists and pages without ids show only A's own cohorts.
    for url in ("/api/v1/cohorts",):
        text = client.get(url, headers=api_headers).text
        assert a["cohort"].name in text and b["cohort"].name not in text
    page = browser.get("/cohorts").text
    assert a["cohort"].name in page and b["cohort"].name not in page


def test_every_facilitator_route_needs_a_sign_in(
    app: Any, other_client: TestClient, two_worlds: dict[str, Any]
) -> None:
    a = two_worlds["a"]
    for method, path in facilitator_routes(app):
        url = fill(path, ids_of(a))
        response = other_client.request(method, url, follow_redirects=False)
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, url, response.status_code)
        else:
            assert response.status_code == 303, (method, url, response.status_code)
            assert response.headers["location"].startswith("/login")
        assert a["cohort"].name not in response.text


def test_co_facilitator_gets_access_and_loses_it(
    client: TestClient, two_worlds: dict[str, Any]
) -> None:
    a, b = two_worlds["a"], two_worlds["b"]
    a_headers = bearer(client, a["facilitator"].email)
    b_headers = bearer(client, b["facilitator"].email)
    url = f"/api/v1/sessions/{b['session'].id}"
    assert client.get(url, headers=a_headers).status_code == 404
    added = client.post(f"/api/v1/cohorts/{b['cohort'].id}/facilitators",
                        json={"email": a["facilitator"].email}, headers=b_headers)
    assert added.status_code == 201
    assert client.get(url, headers=a_headers).status_code == 200
    removed = client.delete(
        f"/api/v1/cohorts/{b['cohort'].id}/facilitators/{a['facilitator'].id}", headers=b_headers)
    assert removed.status_code == 204
    assert client.get(url, headers=a_headers).status_code == 404
