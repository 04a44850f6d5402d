"""Hostile and unusual input on the participant API: a clear 4xx or stored safely, never a 500.

Each case goes to PUT /map and POST /submit. Refusals must be JSON with a
message that names the field or the body; accepted text must come back exactly
as sent, through the API, the export and the HTML form, and every answer must
be strict JSON (no NaN or Infinity slipping out).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

SURROGATE = '"\\ud800"'


def strict_json(text: str) -> Any:
    """json.loads that refuses what Python's json accepts but JSON does not."""

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} in a response")

    return json.loads(text, parse_constant=refuse)


def contact(**fields: Any) -> dict[str, Any]:
    base = {"id": "a", "label": "A.B.", "purpose": "growth", "roles": ["mentor"],
            "origin": "former_job", "organization": "outside", "closeness": 3,
            "last_contact": "2025-01"}
    return {**base, **fields}


def a_map(*contacts: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"contacts": list(contacts) or [contact()], "ties": [], "commitments": [], **extra}


def raw(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


# (case id, raw body, the expected status, a word the message must contain). 400 and 422
# are both clear refusals; the expected one is what the API documents for the case.
REFUSED: list[tuple[str, bytes, int, str]] = [
    ("malformed", b'{"contacts": [', 400, "body"),
    ("not-utf8", b'{"contacts": [{"id": "a", "label": "\xff\xfe"}]}', 400, "body"),
    ("empty-object-list", b"[]", 422, "map"),
    ("string-body", b'"hello"', 422, "map"),
    ("null-body", b"null", 422, "map"),
    ("NaN", b'{"contacts": [{"id": "a", "label": "x", "closeness": NaN}]}', 400, "NaN"),
    ("Infinity", b'{"contacts": [{"id": "a", "label": "x", "closeness": Infinity}]}', 400, "body"),
    ("-Infinity", b'{"contacts": [{"id": "a", "label": "x", "closeness": -Infinity}]}', 400,
     "body"),
    ("huge-float", b'{"contacts": [{"id": "a", "label": "x", "closeness": 1e999}]}', 400, "body"),
    ("huge-int", ('{"contacts": [{"id": "a", "label": "x", "closeness": 1' + "0" * 400 + "}]}")
     .encode(), 422, "closeness"),
    ("big-int", raw(a_map(contact(closeness=2**60))), 422, "closeness"),
    ("float-closeness", raw(a_map(contact(closeness=3.5))), 422, "closeness"),
    ("string-closeness", raw(a_map(contact(closeness="five"))), 422, "closeness"),
    ("bool-closeness", raw(a_map(contact(closeness=True))), 422, "closeness"),
    ("contacts-not-list", raw({"contacts": "many"}), 422, "contacts"),
    ("roles-not-list", raw(a_map(contact(roles="mentor"))), 422, "roles"),
    ("label-number", raw(a_map(contact(label=42))), 422, "label"),
    ("label-too-long", raw(a_map(contact(label="x" * 41))), 422, "label"),
    ("month-far-future", raw(a_map(contact(last_contact="2099-01"))), 422, "last_contact"),
    ("month-zero", raw(a_map(contact(last_contact="0000-01"))), 422, "last_contact"),
    ("too-many-contacts", raw(a_map(*[contact(id=f"c{i}") for i in range(251)])), 422,
     "contacts"),
    ("nul-in-label", raw(a_map(contact(label="A\x00B"))), 422, "label"),
    ("nul-in-key", b'{"contacts": [{"id": "a", "label": "x", "a\\u0000b": 1}]}', 422, "contacts"),
    ("control-in-label", raw(a_map(contact(label="A\x1bB"))), 422, "label"),
    ("lone-surrogate", ('{"contacts": [{"id": "a", "label": ' + SURROGATE + "}]}").encode(),
     422, "label"),
    ("duplicate-key", b'{"contacts": [{"id": "a", "label": "x", "label": "y"}]}', 422, "label"),
    ("duplicate-top-key", b'{"contacts": [], "contacts": []}', 422, "contacts"),
    ("unknown-field", raw(a_map(contact(phone="+39 333"))), 422, "phone"),
    ("deep-nesting", b'{"contacts": ' + b"[" * 5000 + b"]" * 5000 + b"}", 422, "nested"),
    ("bad-month", raw(a_map(contact(last_contact="2025-13"))), 422, "last_contact"),
    ("unknown-option", raw(a_map(contact(purpose="world-domination"))), 422, "purpose"),
    ("tie-unknown", raw({**a_map(), "ties": [["a", "zz"]]}), 422, "ties"),
    ("tie-shape", raw({**a_map(), "ties": [["a"]]}), 422, "ties"),
    ("commitments-4", raw({**a_map(), "commitments": [{"text": "x"}] * 4}), 422, "commitments"),
]


@pytest.fixture
def api(make_client: Callable[..., TestClient], participant_link: tuple[Any, str]) -> Any:
    client = make_client(token_rate_limit="100000/minute")
    _, token = participant_link

    class Api:
        base = f"/api/v1/p/{token}"

        def put(self, body: bytes, **headers: str) -> Any:
            return client.put(f"{self.base}/map", content=body,
                              headers={"content-type": "application/json", **headers})

        def submit(self, body: bytes) -> Any:
            return client.post(f"{self.base}/submit", content=body,
                               headers={"content-type": "application/json"})

        def get(self, path: str = "") -> Any:
            return client.get(f"{self.base}{path}")

    return Api()


@pytest.mark.parametrize(("body", "status", "word"), [case[1:] for case in REFUSED],
                         ids=[case[0] for case in REFUSED])
def test_bad_input_is_refused_clearly(api: Any, body: bytes, status: int, word: str) -> None:
    for response in (api.put(body), api.submit(body)):
        assert response.status_code in {status, 400, 422}, response.text[:500]
        payload = strict_json(response.text)
        message = json.dumps(payload, ensure_ascii=False)
        assert word.lower() in message.lower(), message[:500]
    # Nothing was stored by any of it.
    assert api.get().json()["status"] == "not_started"


UNUSUAL_LABELS = [
    "\u202eevil.exe",  # right-to-left override
    "\u05d3\u05d5\u05d3 \u200fכהן",  # Hebrew with a right-to-left mark
    "😀🎉",
    "👩\u200d👩\u200d👧\u200d👦 family",  # a zero-width-joiner sequence
    "Ze\u0301 Zoe\u0308",  # combining accents (decomposed, must stay decomposed)
    "Zé",  # the composed form, a different string
    "a\u200bb",  # zero-width space
    "<script>alert(1)</script>",
    "=HYPERLINK(\"x\")",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",  # outside the Basic Multilingual Plane
    "x" * 40,
    "😀" * 40,  # 40 characters, 160 bytes
]


def test_unusual_text_round_trips_exactly(api: Any) -> None:
    contacts = [contact(id=f"c{i}", label=label) for i, label in enumerate(UNUSUAL_LABELS)]
    sent = a_map(*contacts, commitments=[{"text": "Café ☕ with \u202eM.R.", "contact": "c0"}])
    saved = api.put(raw(sent))
    assert saved.status_code == 200, saved.text[:500]
    submitted = api.submit(raw(sent))
    assert submitted.status_code == 200, submitted.text[:500]

    stored = strict_json(api.get().text)["map"]
    assert [c["label"] for c in stored["contacts"]] == UNUSUAL_LABELS
    assert stored["commitments"][0]["text"] == sent["commitments"][0]["text"]
    exported = strict_json(api.get("/export").text)
    assert [c["label"] for c in exported["submissions"][0]["map"]["contacts"]] == UNUSUAL_LABELS


def test_the_form_page_escapes_labels(
    api: Any, make_client: Callable[..., TestClient], participant_link: tuple[Any, str]
) -> None:
    _, token = participant_link
    assert api.put(raw(a_map(contact(label="<script>alert(1)</script>")))).status_code == 200
    page = make_client().get(f"/p/{token}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text


def test_ascii_escaped_json_is_the_same_text(api: Any) -> None:
    label = "Zoë 😀 \u202e"
    body = json.dumps(a_map(contact(label=label)), ensure_ascii=True).encode()
    assert api.put(body).status_code == 200
    assert api.get().json()["map"]["contacts"][0]["label"] == label


def test_body_size_is_limited(api: Any) -> None:
    big = b'{"contacts": [], "pad": "' + b"x" * 1_100_000 + b'"}'
    response = api.put(big)
    assert response.status_code == 413
    assert "body" in response.json()["detail"]

    def chunks() -> Any:  # no Content-Length: the limit must still hold while streaming
        for _ in range(40):
            yield b"x" * 50_000

    streamed = api.put(chunks())  # type: ignore[arg-type]
    assert streamed.status_code == 413


def test_malformed_if_match_is_400(api: Any) -> None:
    for header in ('"abc"', '"99999999999999"', "W/", '"-1"'):
        response = api.put(raw(a_map()), **{"If-Match": header})
        assert response.status_code in (400, 412), (header, response.text)
        assert "If-Match" in response.text or "version" in response.text


def test_numbers_in_responses_are_finite(api: Any) -> None:
    """A stored map always reads back as strict JSON (no NaN in measures or versions)."""
    sent = a_map(*[contact(id=f"c{i}", label=f"P{i}") for i in range(3)])
    assert api.submit(raw(sent)).status_code == 200
    for path in ("", "/export"):
        payload = strict_json(api.get(path).text)
        _assert_finite(payload)


def _assert_finite(value: Any) -> None:
    if isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, dict):
        for item in value.values():
            _assert_finite(item)
    elif isinstance(value, list):
        for item in value:
            _assert_finite(item)


FORM_CASES = [
    ("nul", "A\x00B"),
    ("control", "A\x1bB"),
    ("too-long", "x" * 500),
    ("rtl-emoji", "\u202e😀 Zoe\u0308"),
]


@pytest.mark.parametrize(("label"), [case[1] for case in FORM_CASES],
                         ids=[case[0] for case in FORM_CASES])
def test_the_html_form_handles_hostile_text(
    make_client: Callable[..., TestClient], participant_link: tuple[Any, str], label: str
) -> None:
    """The no-JavaScript form posts the same map through another parser: same rules."""
    client = make_client(token_rate_limit="100000/minute")
    _, token = participant_link
    form = client.get(f"/p/{token}")
    assert form.status_code == 200
    fields = {
        "action": "save", "version": "0", "rows": "2",
        "c0.id": "a", "c0.label": label,
        "c1.id": "b", "c1.label": "B", "c1.function": label, "c1.knows": "a",
        "m0.text": label, "m0.contact": "a",
    }
    response = client.post(f"/p/{token}", data=fields, follow_redirects=False)
    assert response.status_code < 500, response.text[:500]
    if response.status_code in (302, 303):  # saved: it must read back exactly
        stored = client.get(f"/api/v1/p/{token}").json()["map"]
        assert stored["contacts"][0]["label"] == label.strip()
        assert stored["commitments"][0]["text"] == label.strip()
    else:  # refused: the page says which field, and keeps what was typed
        assert response.status_code in (400, 409, 422)
        assert "label" in response.text.lower()


FACILITATOR_BODIES = [
    ("NaN", b'{"name": NaN}'),
    ("Infinity", b'{"name": Infinity}'),
    ("huge-float", b'{"name": 1e999}'),
    ("huge-int", b'{"name": 1' + b"0" * 5000 + b"}"),
    ("lone-surrogate", b'{"name": "A\\ud800B"}'),
    ("nested-NaN", b'{"name": "x", "participants": [{"name": "y", "email": "y@example.org",'
                   b' "language": NaN}]}'),
    ("duplicate-key", b'{"name": "first", "name": "second"}'),
    ("deep", b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("not-utf8", b'{"name": "\xff"}'),
    ("nul", b'{"name": "A\\u0000B"}'),
    ("rtl-override", '{"name": "\u202eevil"}'.encode()),
]


@pytest.mark.parametrize("body", [case[1] for case in FACILITATOR_BODIES],
                         ids=[case[0] for case in FACILITATOR_BODIES])
def test_facilitator_json_api_refuses_hostile_bodies(
    db: Any, make_facilitator: Callable[..., Any], make_client: Callable[..., TestClient],
    body: bytes,
) -> None:
    """The same JSON hazards on the facilitator side: a clear 4xx naming the body or field."""
    from datetime import timedelta

    from app.facilitators.service import start_session

    token, _ = start_session(db, make_facilitator(), max_age=timedelta(hours=1))
    db.flush()
    client = make_client()
    response = client.post(
        "/api/v1/cohorts", content=body,
        headers={"Authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    assert response.status_code in (400, 422), response.text[:300]
    message = json.dumps(strict_json(response.text), ensure_ascii=False)
    assert "body" in message or "name" in message


def test_emoji_and_accents_in_a_roster_round_trip(
    db: Any, make_facilitator: Callable[..., Any], make_client: Callable[..., TestClient],
) -> None:
    from datetime import timedelta

    from app.facilitators.service import start_session

    token, _ = start_session(db, make_facilitator(), max_age=timedelta(hours=1))
    db.flush()
    client = make_client()
    names = ["Zoë 😀", "Ze\u0301 Nuñez", "李小龍", "Ωmega 𝔘"]
    created = client.post(
        "/api/v1/cohorts", headers={"Authorization": f"Bearer {token}"},
        json={"name": "Cohort ☕ Zoë",
              "participants": [{"name": name, "email": f"p{i}@example.org"}
                               for i, name in enumerate(names)]},
    )
    assert created.status_code == 201, created.text[:300]
    cohort = strict_json(created.text)
    assert cohort["name"] == "Cohort ☕ Zoë"
    roster = client.get(f"/api/v1/cohorts/{cohort['id']}/participants",
                        headers={"Authorization": f"Bearer {token}"})
    assert sorted(p["name"] for p in strict_json(roster.text)) == sorted(names)
