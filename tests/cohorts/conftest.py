"""Fixtures for the facilitator side: signed-in browser clients and bearer tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import FACILITATOR_PASSWORD

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A TestClient signed in with the session cookie, posting forms with the CSRF token."""

    def __init__(self, client: TestClient, facilitator: Any) -> None:
        self.client = client
        self.facilitator = facilitator
        self.csrf = ""

    def sign_in(self, password: str = FACILITATOR_PASSWORD) -> Browser:
        form = self.client.get("/login")
        token = CSRF_RE.search(form.text)
        assert token, form.text
        response = self.client.post(
            "/login",
            data={"email": self.facilitator.email, "password": password,
                  "csrf_token": token.group(1), "next": "/cohorts"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        page = self.client.get("/cohorts")
        found = CSRF_RE.search(page.text)
        assert found, page.text
        self.csrf = found.group(1)
        return self

    def get(self, url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("follow_redirects", False)
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("follow_redirects", False)
        return self.client.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kwargs)


def bearer(client: TestClient, email: str, password: str = FACILITATOR_PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def facilitator(make_facilitator: Any) -> Any:
    return make_facilitator()


@pytest.fixture
def browser_client(client: TestClient, facilitator: Any) -> Browser:
    return Browser(client, facilitator).sign_in()


@pytest.fixture
def other_client(app: FastAPI) -> TestClient:
    """A second client with its own cookie jar (no lifespan: the app is already running)."""
    return TestClient(app)


@pytest.fixture
def auth(client: TestClient, facilitator: Any) -> dict[str, str]:
    return bearer(client, facilitator.email)


@pytest.fixture
def submit_maps(db: Any) -> Any:
    """Store maps for a session's participants: `submitted` complete ones, then `drafts`.

    Returns the contact labels used, so tests can check they never leak.
    """
    import random
    from datetime import UTC, datetime

    from app.demo import generate_map
    from app.participation.service import save_map
    from app.sessions.models import CohortSession

    def submit(session_id: int, *, submitted: int = 0, drafts: int = 0, skip: int = 0,
               label_prefix: str = "Zq") -> list[str]:
        cohort_session = db.get(CohortSession, session_id)
        program = cohort_session.cohort.program_definition()
        rng = random.Random(session_id * 100 + skip)
        participants = cohort_session.cohort.participants[skip: skip + submitted + drafts]
        labels = []
        for index, participant in enumerate(participants):
            data = generate_map(rng, 8, as_of=datetime.now(UTC).date())
            for number, contact in enumerate(data["contacts"]):
                contact["label"] = f"{label_prefix}{participant.id}x{number}"
                labels.append(contact["label"])
            save_map(db, cohort_session=cohort_session, participant=participant,
                     program=program, data=data, submit=index < submitted)
        db.flush()
        return labels

    return submit
