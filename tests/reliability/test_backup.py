"""Backup and restore, as docs/operations.md tells operators to do them.

SQLite: `wellspring backup -o FILE` (the online backup API), taken while another
thread keeps writing, gives a consistent copy that opens and holds the data.
PostgreSQL: pg_dump --format=custom, then pg_restore into a fresh database,
gives the same row counts and the same maps.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from app.cli import cli
from app.cohorts.models import Participant
from app.core.config import get_settings
from app.core.db import Base, Database
from app.participation.models import Submission, SubmissionContact
from app.participation.service import save_map
from tests.conftest import skip_or_fail
from tests.reliability.harness import SECRET, participant_map, seed


def row_counts(url: str) -> dict[str, int]:
    database = Database(url)
    try:
        with database.session(write=False) as db:
            return {
                table.name: int(db.scalar(select(func.count()).select_from(table)) or 0)
                for table in Base.metadata.sorted_tables
            }
    finally:
        database.dispose()


def maps_by_participant(url: str) -> dict[int, Any]:
    database = Database(url)
    try:
        with database.session(write=False) as db:
            return {s.participant_id: s.map for s in db.scalars(select(Submission))}
    finally:
        database.dispose()


def submit_maps(url: str, participant_ids: list[int], stop: threading.Event | None = None) -> int:
    """Submit a 25-contact map per participant, one transaction each; returns how many."""
    from app.sessions.models import CohortSession

    database = Database(url)
    done = 0
    try:
        for participant_id in participant_ids:
            if stop is not None and stop.is_set():
                break
            with database.session() as db:
                participant = db.get(Participant, participant_id)
                assert participant is not None
                cohort_session = db.scalar(
                    select(CohortSession).where(CohortSession.cohort_id == participant.cohort_id)
                )
                assert cohort_session is not None
                save_map(
                    db, cohort_session=cohort_session, participant=participant,
                    program=participant.cohort.program_definition(),
                    data=participant_map(participant_id), submit=True,
                )
            done += 1
    finally:
        database.dispose()
    return done


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[[str], None]]:
    def use(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("SECRET_KEY", SECRET)
        get_settings.cache_clear()

    monkeypatch.chdir(tmp_path)
    yield use
    get_settings.cache_clear()


def test_sqlite_online_backup_while_writing(
    tmp_path: Path, cli_env: Callable[[str], None]
) -> None:
    from app.core.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'live.db'}"
    upgrade(url)
    seeded = seed(url, participants=60)
    ids = sorted(seeded.tokens)
    submit_maps(url, ids[:20])  # in the backup for sure
    cli_env(url)

    stop = threading.Event()
    writer = threading.Thread(target=submit_maps, args=(url, ids[20:], stop))
    writer.start()
    try:
        result = CliRunner().invoke(cli, ["backup", "-o", str(tmp_path / "copy.db")])
    finally:
        stop.set()
        writer.join(60)
    assert result.exit_code == 0, result.output
    copy = tmp_path / "copy.db"
    assert copy.is_file()

    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy_url = f"sqlite:///{copy}"
    counts = row_counts(copy_url)
    assert counts["participants"] == 60 and counts["invitations"] == 60
    # A consistent snapshot: every map in the copy has all its contact rows.
    database = Database(copy_url)
    try:
        with database.session(write=False) as db:
            submissions = db.scalars(select(Submission)).all()
            assert len(submissions) >= 20
            for submission in submissions:
                rows = db.scalar(
                    select(func.count()).where(SubmissionContact.submission_id == submission.id)
                )
                assert rows == len(submission.map["contacts"]) == 25
                assert submission.map == maps_by_participant(url)[submission.participant_id]
    finally:
        database.dispose()

    # Refuses to overwrite: a backup is never silently replaced.
    again = CliRunner().invoke(cli, ["backup", "-o", str(copy)])
    assert again.exit_code == 2 and "already exists" in again.stderr


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_postgres_dump_and_restore(
    is_postgres: bool, make_database_url: Callable[..., str], tmp_path: Path
) -> None:
    if not is_postgres:
        pytest.skip("PostgreSQL backup is tested on the PostgreSQL pass (TEST_DATABASE_URL)")
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is not installed (apt-get install postgresql-client)")
    source = make_database_url()
    seeded = seed(source, participants=30)
    submit_maps(source, sorted(seeded.tokens)[:25])
    dump = tmp_path / "wellspring.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(source)],
        check=True, capture_output=True, timeout=120,
    )
    target = make_database_url(migrate=False)
    restored = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(target)}", str(dump)],
        capture_output=True, text=True, timeout=120,
    )
    assert restored.returncode == 0, restored.stderr

    before, after = row_counts(source), row_counts(target)
    assert after == before
    assert after["submissions"] == 25 and after["submission_contacts"] == 25 * 25
    assert maps_by_participant(target) == maps_by_participant(source)
    # The restored database is at the same migration and the app can write to it.
    from app.core.migrate import upgrade

    upgrade(target)
    assert submit_maps(target, sorted(seeded.tokens)[25:]) == 5
