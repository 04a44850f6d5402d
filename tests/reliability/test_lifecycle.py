"""Erasure and retention: after erasing, nothing about the erased people remains anywhere.

"Anywhere" is checked two ways: every table with a foreign key to an erased row
is counted, and every text and JSON value of every table is searched for the
erased people's names, emails and contact labels.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import cli
from app.cohorts.models import Cohort, Participant
from app.core.config import Settings, get_settings
from app.core.db import Base, Database
from app.core.errors import NotFound
from app.demo import generate_map
from app.participation.models import Submission
from app.participation.service import save_map
from app.privacy.service import erase_cohort, erase_participant, months_before, purge_expired
from app.reports.models import CachedReport
from app.sessions.models import CohortSession
from app.sessions.service import open_session
from tests.conftest import TEST_SECRET


def marked_map(
    participant: Participant, session_number: int, as_of: date | None = None
) -> dict[str, Any]:
    """A map whose labels name the participant, so leftovers can be searched for."""
    data = generate_map(random.Random(participant.id), 6, as_of=as_of or date.today())
    for index, contact in enumerate(data["contacts"]):
        contact["label"] = f"L{participant.id}s{session_number}c{index}"
    return data


def fill(
    db: Session, settings: Settings, cohort: Cohort, *, sessions: int = 2, past_days: int = 0
) -> list[CohortSession]:
    """Sessions with a submitted map (or a draft) per participant, and cached PDFs of each kind."""
    program = cohort.program_definition()
    opened = []
    reports: list[CachedReport] = []
    for number in range(1, sessions + 1):
        opens_on = date.today() - timedelta(days=past_days + 40 * (sessions - number))
        cohort_session = open_session(
            db, settings, cohort, opens_on=opens_on,
            deadline=datetime.combine(opens_on + timedelta(days=7), datetime.min.time(), UTC),
        )
        opened.append(cohort_session)
        for index, participant in enumerate(cohort.participants):
            save_map(
                db, cohort_session=cohort_session, participant=participant, program=program,
                data=marked_map(participant, number, as_of=opens_on), submit=index % 3 != 2,
            )
            reports.append(cached_report(cohort_session, participant))
        reports.append(cached_report(cohort_session, None, kind="group"))
        reports.append(cached_report(cohort_session, None, kind="pack"))
    # Added after every save: saving a map invalidates the cached reports it changes.
    db.add_all(reports)
    db.flush()
    return opened


def cached_report(
    cohort_session: CohortSession, participant: Participant | None, kind: str = "individual"
) -> CachedReport:
    who = participant.email if participant else "group"
    content = f"%PDF-1.7 report of {who}".encode()
    return CachedReport(
        key=f"{kind}-{cohort_session.id}-{participant.id if participant else 0}-{random.random()}",
        kind=kind, session_id=cohort_session.id,
        participant_id=participant.id if participant else None,
        template_version="test", content=content, byte_size=len(content),
    )


def referencing_rows(db: Session, target: str, ids: set[int]) -> dict[str, int]:
    """Rows in any table whose foreign key points at one of `ids` in table `target`."""
    found: dict[str, int] = {}
    if not ids:
        return found
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            for foreign_key in column.foreign_keys:
                if foreign_key.column.table.name == target:
                    count = db.scalar(
                        select(func.count()).select_from(table).where(column.in_(ids))
                    )
                    if count:
                        found[f"{table.name}.{column.name}"] = int(count)
    return found


def all_text(db: Session) -> str:
    """Every row of every table, as one searchable string (binary content decoded too)."""
    parts = []
    for table in Base.metadata.sorted_tables:
        assert isinstance(table, Table)
        for row in db.execute(select(table)).all():
            for value in row:
                if isinstance(value, bytes):
                    parts.append(value.decode("latin-1"))
                elif isinstance(value, (dict, list)):
                    parts.append(json.dumps(value, ensure_ascii=False))
                elif value is not None:
                    parts.append(str(value))
    return "\n".join(parts)


def traces_of(participant: Participant, sessions: int) -> list[str]:
    labels = [f"L{participant.id}s{n}c{i}" for n in range(1, sessions + 1) for i in range(6)]
    # Names repeat across cohorts ("Participant 1"); emails and labels are unique.
    return [participant.email, *labels]


def remaining_traces(db: Session, traces: list[str]) -> list[str]:
    text = all_text(db)
    return [trace for trace in traces if trace in text]


def counts_by_table(db: Session) -> dict[str, int]:
    return {
        table.name: int(db.scalar(select(func.count()).select_from(table)) or 0)
        for table in Base.metadata.sorted_tables
    }


def test_erase_participant_leaves_nothing(
    db: Session, settings: Settings, make_cohort: Callable[..., Any]
) -> None:
    cohort = make_cohort(participants=4)
    other_cohort = make_cohort(participants=3)
    fill(db, settings, cohort)
    fill(db, settings, other_cohort)
    gone, *kept = cohort.participants
    gone_id, gone_traces = gone.id, traces_of(gone, 2)
    kept_traces = [trace for participant in kept for trace in traces_of(participant, 2)]
    before = counts_by_table(db)
    assert referencing_rows(db, "participants", {gone_id})  # the set-up did store something

    erased = erase_participant(db, gone_id)

    assert referencing_rows(db, "participants", {gone_id}) == {}
    assert db.get(Participant, gone_id) is None
    assert remaining_traces(db, gone_traces) == []
    # Everyone else's maps are untouched; only the session-wide PDFs that held
    # the erased participant's figures went with them.
    assert remaining_traces(db, kept_traces) == kept_traces
    after = counts_by_table(db)
    assert before["submissions"] - after["submissions"] == 2
    assert erased.rows["submissions"] == 2
    assert erased.rows["cached_reports"] == 2 + 2 * 2  # own PDFs + group and pack of 2 sessions
    assert db.scalar(
        select(func.count()).select_from(CachedReport)
        .where(CachedReport.session_id.in_([s.id for s in other_cohort.sessions]))
    ) == 2 * (3 + 2)
    assert after["participants"] == before["participants"] - 1


def test_erase_cohort_leaves_nothing(
    db: Session, settings: Settings, make_cohort: Callable[..., Any]
) -> None:
    cohort = make_cohort(participants=5)
    other = make_cohort(participants=2)
    fill(db, settings, cohort, sessions=3)
    fill(db, settings, other)
    participant_ids = {p.id for p in cohort.participants}
    session_ids = {s.id for s in cohort.sessions}
    submission_ids = set(
        db.scalars(select(Submission.id).where(Submission.participant_id.in_(participant_ids)))
    )
    traces = [trace for p in cohort.participants for trace in traces_of(p, 3)]
    other_traces = [trace for p in other.participants for trace in traces_of(p, 2)]
    other_before = referencing_rows(db, "participants", {p.id for p in other.participants})
    cohort_id = cohort.id

    erase_cohort(db, cohort_id)

    assert db.get(Cohort, cohort_id) is None
    assert referencing_rows(db, "cohorts", {cohort_id}) == {}
    assert referencing_rows(db, "participants", participant_ids) == {}
    assert referencing_rows(db, "sessions", session_ids) == {}
    assert referencing_rows(db, "submissions", submission_ids) == {}
    assert remaining_traces(db, traces) == []
    assert remaining_traces(db, other_traces) == other_traces
    assert referencing_rows(db, "participants", {p.id for p in other.participants}) == other_before


def test_erasing_what_does_not_exist_says_so(db: Session) -> None:
    with pytest.raises(NotFound):
        erase_participant(db, 987654)
    with pytest.raises(NotFound):
        erase_cohort(db, 987654)


def test_months_before_clamps_to_month_end() -> None:
    assert months_before(datetime(2026, 3, 31, 12, tzinfo=UTC), 1) == datetime(
        2026, 2, 28, 12, tzinfo=UTC
    )
    jan, dec = datetime(2026, 1, 15, tzinfo=UTC), datetime(2024, 12, 31, tzinfo=UTC)
    assert months_before(jan, 13) == datetime(2024, 12, 15, tzinfo=UTC)
    assert months_before(dec, 10) == datetime(2024, 2, 29, tzinfo=UTC)


def test_purge_erases_only_cohorts_past_retention(
    db: Session, settings: Settings, make_cohort: Callable[..., Any]
) -> None:
    old = make_cohort(participants=2, name="Old")
    recent = make_cohort(participants=2, name="Recent")
    fill(db, settings, old, past_days=800)  # last deadline about 26 months ago
    fill(db, settings, recent, past_days=300)  # about 10 months ago
    never_opened = make_cohort(participants=1, name="Never opened")
    never_opened.created_at = datetime.now(UTC) - timedelta(days=900)
    db.flush()
    old_id, recent_id, never_id = old.id, recent.id, never_opened.id

    listed = purge_expired(db, datetime.now(UTC), 24, dry_run=True)
    assert {c.id for c in listed.cohorts} >= {old_id, never_id}
    assert recent_id not in {c.id for c in listed.cohorts}
    assert db.get(Cohort, old_id) is not None  # a dry run deletes nothing
    assert listed.erased.total == 0

    done = purge_expired(db, datetime.now(UTC), 24)
    assert db.get(Cohort, old_id) is None and db.get(Cohort, never_id) is None
    assert db.get(Cohort, recent_id) is not None
    assert done.erased.rows["submissions"] == 2 * 2
    # The same data, with a shorter retention, goes too.
    purge_expired(db, datetime.now(UTC), 6)
    assert db.get(Cohort, recent_id) is None


# --- the command ---------------------------------------------------------------------------


def seed_aged_cohorts(url: str) -> tuple[int, int]:
    """An expired and a current cohort, committed (the command runs its own transaction)."""
    from app.cohorts.schemas import ParticipantIn
    from app.cohorts.service import add_participants, create_cohort
    from app.facilitators.service import create_facilitator

    settings = Settings(environment="test", database_url=url, secret_key=TEST_SECRET)
    database = Database(settings.database_url)
    try:
        with database.session() as db:
            facilitator = create_facilitator(
                db, email="purge@example.org", password="long enough pw"
            )
            ids = []
            for name, days_ago in (("Expired", 1000), ("Current", 10)):
                cohort = create_cohort(
                    db, name=name, program_id="leadership-8-month", language="en",
                    facilitators=[facilitator],
                )
                add_participants(db, cohort,
                    [ParticipantIn(name=f"{name} {i}", email=f"{name.lower()}{i}@example.org")
                     for i in range(3)],
                )
                fill(db, settings, cohort, sessions=1, past_days=days_ago)
                ids.append(cohort.id)
            return ids[0], ids[1]
    finally:
        database.dispose()


def cohort_ids(url: str) -> set[int]:
    database = Database(Settings(environment="test", database_url=url, secret_key=TEST_SECRET)
                        .database_url)
    try:
        with database.session(write=False) as db:
            return set(db.scalars(select(Cohort.id)))
    finally:
        database.dispose()


def test_purge_command_dry_run_then_purge(
    make_database_url: Callable[..., str], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    url = make_database_url()
    expired, current = seed_aged_cohorts(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("RETENTION_MONTHS", "12")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    try:
        dry = CliRunner().invoke(cli, ["purge", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        listed = json.loads(dry.stdout)
        assert [c["id"] for c in listed["cohorts"]] == [expired]
        assert listed["dry_run"] is True and listed["erased_rows"] == {}
        assert "would erase 1 cohort" in dry.stderr
        assert cohort_ids(url) == {expired, current}

        done = CliRunner().invoke(cli, ["purge"])
        assert done.exit_code == 0, done.output
        report = json.loads(done.stdout)
        assert report["erased_rows"]["cohorts"] == 1
        assert report["erased_rows"]["participants"] == 3
        assert cohort_ids(url) == {current}

        again = CliRunner().invoke(cli, ["purge"])
        assert json.loads(again.stdout)["cohorts"] == []
    finally:
        get_settings.cache_clear()


def test_participant_erasing_their_own_map_leaves_nothing(
    db: Session, settings: Settings, make_cohort: Callable[..., Any],
    make_client: Callable[..., Any],
) -> None:
    """DELETE /api/v1/p/{token}: the map, its rows and every PDF that held it go."""
    from app.sessions.service import invitation_token

    cohort = make_cohort(participants=3)
    sessions = fill(db, settings, cohort, sessions=1)
    invitation = sessions[0].invitations[0]
    participant = invitation.participant
    token = invitation_token(settings, invitation)
    submission_ids = set(db.scalars(
        select(Submission.id).where(Submission.participant_id == participant.id)
    ))
    labels = [f"L{participant.id}s1c{i}" for i in range(6)]
    db.flush()

    response = make_client().delete(f"/api/v1/p/{token}")
    assert response.status_code == 204

    assert referencing_rows(db, "submissions", submission_ids) == {}
    assert db.scalar(select(func.count()).select_from(Submission)
                     .where(Submission.id.in_(submission_ids))) == 0
    assert db.scalar(select(func.count()).select_from(CachedReport).where(
        (CachedReport.participant_id == participant.id)
        | ((CachedReport.session_id == sessions[0].id) & CachedReport.participant_id.is_(None))
    )) == 0
    assert remaining_traces(db, labels) == []
