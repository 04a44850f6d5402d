"""Racing creates answer 409 (or succeed once), never 500, with two server processes.

Several requests that create the same thing at the same moment (a double click, two
facilitators, a retrying script): opening the next session, adding a co-facilitator,
adding a roster row, and enrolling someone while a session opens. The database's
unique constraints decide; the app maps the loser's IntegrityError to 409 in one place.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.core.db import Database
from app.facilitators.service import create_facilitator
from app.sessions.models import CohortSession, Invitation
from tests.reliability.harness import FACILITATOR_PASSWORD, ServerProcess, seed

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(make_database_url: Callable[..., str]) -> Iterator[tuple[ServerProcess, Any]]:
    url = make_database_url()
    seeded = seed(url, 3, name="Race cohort")
    with ServerProcess(url, workers=2) as running:
        yield running, seeded


def _token(server: ServerProcess, email: str) -> str:
    answer = httpx.post(f"{server.url}/api/v1/auth/token",
                        data={"username": email, "password": FACILITATOR_PASSWORD}, timeout=30)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def _at_once(count: int, call: Callable[[httpx.Client], httpx.Response],
             headers: dict[str, str], base_url: str) -> list[httpx.Response]:
    barrier = threading.Barrier(count)

    def one(_: int) -> httpx.Response:
        with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
            barrier.wait()
            return call(client)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def _codes(answers: list[httpx.Response]) -> list[int]:
    return sorted(answer.status_code for answer in answers)


def test_opening_the_next_session_eight_times_at_once(server: tuple[ServerProcess, Any]) -> None:
    running, seeded = server
    headers = {"Authorization": f"Bearer {_token(running, seeded.facilitator_email)}"}
    answers = _at_once(
        8, lambda c: c.post(f"/api/v1/cohorts/{seeded.cohort_id}/sessions", json={"number": 2}),
        headers, running.url,
    )
    codes = _codes(answers)
    assert 500 not in codes, [a.text for a in answers if a.status_code == 500]
    assert codes.count(201) == 1 and set(codes) <= {201, 409}, codes
    assert all("already open" in a.json()["detail"] or "conflict" in a.json()["detail"]
               for a in answers if a.status_code == 409)
    database = Database(seeded.database_url)
    try:
        with database.session() as db:
            numbers = db.scalars(select(CohortSession.number).where(
                CohortSession.cohort_id == seeded.cohort_id)).all()
            assert sorted(numbers) == [1, 2]
    finally:
        database.dispose()


def test_adding_the_same_co_facilitator_twice_at_once(server: tuple[ServerProcess, Any]) -> None:
    running, seeded = server
    database = Database(seeded.database_url)
    email = f"co-{uuid.uuid4().hex[:8]}@example.org"
    try:
        with database.session() as db:
            create_facilitator(db, email=email, password=FACILITATOR_PASSWORD)
    finally:
        database.dispose()
    headers = {"Authorization": f"Bearer {_token(running, seeded.facilitator_email)}"}
    answers = _at_once(
        6, lambda c: c.post(f"/api/v1/cohorts/{seeded.cohort_id}/facilitators",
                            json={"email": email}),
        headers, running.url,
    )
    codes = _codes(answers)
    assert 500 not in codes and set(codes) <= {201, 409} and 201 in codes, codes
    listed = httpx.get(f"{running.url}/api/v1/cohorts/{seeded.cohort_id}/facilitators",
                       headers=headers, timeout=30).json()
    assert [f["email"] for f in listed].count(email) == 1


def test_adding_the_same_roster_row_at_once(server: tuple[ServerProcess, Any]) -> None:
    running, seeded = server
    headers = {"Authorization": f"Bearer {_token(running, seeded.facilitator_email)}"}
    row = [{"name": "Late Joiner", "email": f"late-{uuid.uuid4().hex[:6]}@example.org"}]
    answers = _at_once(
        6, lambda c: c.post(f"/api/v1/cohorts/{seeded.cohort_id}/participants", json=row),
        headers, running.url,
    )
    codes = _codes(answers)
    assert 500 not in codes and codes.count(201) == 1 and set(codes) <= {201, 409, 422}, codes
    roster = httpx.get(f"{running.url}/api/v1/cohorts/{seeded.cohort_id}/participants",
                       headers=headers, timeout=30).json()
    assert [p["email"] for p in roster].count(row[0]["email"]) == 1
    # The newcomer got exactly one link per open session.
    database = Database(seeded.database_url)
    try:
        with database.session() as db:
            joined = next(p for p in roster if p["email"] == row[0]["email"])
            links = db.scalar(select(func.count()).select_from(Invitation).where(
                Invitation.participant_id == joined["id"]))
            open_sessions = db.scalar(select(func.count()).select_from(CohortSession).where(
                CohortSession.cohort_id == seeded.cohort_id, CohortSession.status == "open"))
            assert links == open_sessions
    finally:
        database.dispose()
