"""'Delete my data' leaves no copy in the SQLite files, which only their owner can read."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.cli import cli
from app.cohorts.schemas import ParticipantIn
from app.cohorts.service import add_participants, create_cohort
from app.core.db import Database
from app.core.migrate import upgrade
from app.facilitators.service import create_facilitator
from app.main import create_app
from app.participation.models import Submission
from app.reports.models import CachedReport
from app.sessions.models import SessionStatus
from app.sessions.service import invitation_token, open_session
from tests.conftest import make_settings

MARKER = "Zq7ErasedMarkerXy"


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_erasure_leaves_no_copy_in_the_database_files(tmp_path: Path) -> None:
    path = tmp_path / "wellspring.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    settings = make_settings(url)
    database = Database(url)
    try:
        with database.session() as db:
            facilitator = create_facilitator(db, email="f@example.org", password="x" * 12)
            cohort = create_cohort(db, name="Files", program_id="leadership-8-month",
                                   language="en", facilitators=[facilitator])
            add_participants(db, cohort, [ParticipantIn(name="Ada", email="ada@example.org"),
                                          ParticipantIn(name="Bo", email="bo@example.org")])
            first = open_session(db, settings, cohort, opens_on=datetime.now(UTC).date(),
                                 deadline=datetime.now(UTC) + timedelta(days=7))
            tokens = {inv.participant.name: invitation_token(settings, inv)
                      for inv in first.invitations}
        body = {"contacts": [{"id": "a", "label": f"{MARKER}1", "purpose": "growth",
                              "origin": "personal", "organization": "outside",
                              "closeness": 3, "last_contact": "2025-01"}],
                "ties": [], "commitments": [{"text": f"Call {MARKER}2", "contact": "a"}]}
        with TestClient(create_app(settings, database)) as client:
            ada = f"/api/v1/p/{tokens['Ada']}"
            assert client.post(ada + "/submit", json=body).status_code == 200
            assert client.get(ada + "/report.pdf").status_code == 200
            bo = f"/api/v1/p/{tokens['Bo']}"
            assert client.post(bo + "/submit", json={**body, "contacts": [
                {**body["contacts"][0], "label": "Kept by Bo"}], "commitments": []}
            ).status_code == 200
            with database.session() as db:  # a second session, with a draft carried forward
                first_session = db.get_one(type(first), first.id)
                first_session.status = SessionStatus.CLOSED
                second = open_session(db, settings, first_session.cohort,
                                      deadline=datetime.now(UTC) + timedelta(days=9))
                ada_second = next(inv for inv in second.invitations
                                  if inv.participant.name == "Ada")
                second_token = invitation_token(settings, ada_second)
            later = f"/api/v1/p/{second_token}"
            assert client.put(later + "/map", json={**body, "commitments": []}).status_code == 200

            exported = client.get(later + "/export").json()
            assert [s["session_number"] for s in exported["submissions"]] == [1, 2]
            assert MARKER.encode() in b"".join(p.read_bytes() for p in tmp_path.iterdir())

            assert client.delete(later).status_code == 204

            assert client.get(later + "/export").json()["submissions"] == []
            # While the server still runs (closing the last connection would checkpoint
            # anyway): the erasure itself emptied the write-ahead log.
            for file in tmp_path.iterdir():
                assert MARKER.encode() not in file.read_bytes(), file.name
        with database.session() as db:
            assert db.scalar(select(func.count()).select_from(Submission)) == 1  # Bo's
            assert db.scalar(select(func.count()).select_from(CachedReport).where(
                CachedReport.participant_id.isnot(None))) == 0
    finally:
        database.dispose()

    files = [p for p in tmp_path.iterdir() if p.name.startswith("wellspring.db")]
    assert {p.name for p in files} >= {"wellspring.db"}
    for file in files:
        assert MARKER.encode() not in file.read_bytes(), file.name
        assert _private(file), (file.name, oct(file.stat().st_mode))

    backup = tmp_path / "backup.db"
    result = CliRunner().invoke(cli, ["backup", "-o", str(backup)],
                                env={"DATABASE_URL": url, "SECRET_KEY": "k" * 40})
    assert result.exit_code == 0, result.output
    assert _private(backup)
    assert b"Kept by Bo" in backup.read_bytes() and MARKER.encode() not in backup.read_bytes()
