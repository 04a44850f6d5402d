"""No request body makes the server answer 5xx, on any endpoint that takes one.

Hypothesis sends every participant and facilitator endpoint that accepts a body
(POST, PUT, PATCH, DELETE) invalid UTF-8, lone surrogates (in keys and values,
escaped and raw), deep and huge JSON and random bytes, under every content type a
client might claim. The answer may be any 4xx; never a 5xx.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from app.core.config import Settings
from tests.cohorts.conftest import Browser, bearer

CONTENT_TYPES = [
    "application/json", "application/json; charset=latin-1", "application/merge-patch+json",
    "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xYz", "multipart/form-data", "application/octet-stream",
    None,
]


def _body_routes() -> list[tuple[str, str]]:
    from app.main import ROUTERS

    routes = []
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute):
                for method in sorted(route.methods & {"POST", "PUT", "PATCH", "DELETE"}):
                    routes.append((method, route.path))
    return routes


ROUTES = _body_routes()

surrogate = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
text_with_surrogates = st.text(alphabet=st.one_of(surrogate, st.characters()), max_size=30)


@st.composite
def hostile_bodies(draw: Any) -> bytes:
    kind = draw(st.sampled_from(["bytes", "raw_surrogate", "escaped_surrogate", "deep", "huge",
                                 "form"]))
    if kind == "bytes":
        return bytes(draw(st.binary(max_size=600)))
    if kind == "raw_surrogate":
        key, value = draw(text_with_surrogates), draw(text_with_surrogates)
        return f'{{"{key}": "{value}", "contacts": [{{"id": "{value}"}}]}}'.encode(
            "utf-8", "surrogatepass"
        )
    if kind == "escaped_surrogate":
        key = draw(text_with_surrogates)
        return json.dumps({key: [draw(text_with_surrogates)], "label": "\udfff"}).encode()
    if kind == "deep":
        depth = draw(st.integers(min_value=50, max_value=200_000))
        return b"[" * depth + b"]" * depth
    if kind == "huge":
        return b'{"contacts": [' + b'{"id": "a", "label": "x"},' * 60_000 + b"{}]}"
    return draw(st.sampled_from([
        b"name=%ED%BF%BF&email=%FF", b"csrf_token=\xff\xfe&x=1", b"--xYz\r\n\r\n\xff\r\n--xYz--",
        "label=\udfff".encode("utf-8", "surrogatepass"),
    ]))


@pytest.fixture
def targets(
    client: TestClient, db: Session, settings: Settings, make_facilitator: Any,
    make_cohort: Any, make_session: Any,
) -> dict[str, Any]:
    from app.sessions.service import invitation_token

    facilitator = make_facilitator()
    cohort = make_cohort(facilitator, participants=2)
    cohort_session = make_session(cohort)
    db.flush()
    invitation = cohort_session.invitations[0]
    browser = Browser(client, facilitator).sign_in()
    return {
        "values": {
            "cohort_id": cohort.id, "session_id": cohort_session.id,
            "participant_id": invitation.participant_id, "invitation_id": invitation.id,
            "facilitator_id": facilitator.id, "token": invitation_token(settings, invitation),
        },
        "headers": {**bearer(client, facilitator.email), "X-CSRF-Token": browser.csrf},
        "cookies": dict(client.cookies),
    }


def _fill(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), 1)), path)


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=hostile_bodies(), content_type=st.sampled_from(CONTENT_TYPES))
def test_no_body_answers_5xx(
    app: FastAPI, targets: dict[str, Any], method: str, path: str, body: bytes,
    content_type: str | None,
) -> None:
    headers = dict(targets["headers"])
    if content_type is not None:
        headers["Content-Type"] = content_type
    with TestClient(app, raise_server_exceptions=False) as fresh:
        fresh.cookies.update(targets["cookies"])
        answer = fresh.request(method, _fill(path, targets["values"]), content=body,
                               headers=headers)
    assert answer.status_code < 500, (method, path, content_type, body[:80], answer.text[:300])


def test_every_route_with_a_body_is_covered() -> None:
    paths = {path for _method, path in ROUTES}
    assert "/api/v1/p/{token}/map" in paths and "/p/{token}" in paths
    assert "/api/v1/cohorts/{cohort_id}/participants/import" in paths
    assert len(ROUTES) >= 25
