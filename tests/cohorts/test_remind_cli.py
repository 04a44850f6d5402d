"""`wellspring session remind SESSION_ID` against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from typer.testing import CliRunner

from app.cli import cli
from app.core.config import get_settings
from app.core.db import Database
from app.sessions.models import Invitation
from tests.cohorts.test_email import Mailbox
from tests.conftest import TEST_SECRET, free_port
from tests.reliability.harness import participant_map, seed


@pytest.fixture
def class_of_four(
    make_database_url: Callable[..., str], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> Iterator[tuple[str, Any]]:
    """A committed cohort of four: two submitted, one draft, one not opened; one bounces."""
    from app.cohorts.models import Participant
    from app.participation.service import save_map
    from app.sessions.models import CohortSession

    url = make_database_url()
    seeded = seed(url, 4, name="Remind cohort")
    database = Database(url)
    with database.session() as db:
        participants = db.scalars(select(Participant).order_by(Participant.id)).all()
        participants[3].email = "bounce.p3@example.org"
        cohort_session = db.get(CohortSession, seeded.session_id)
        for index, participant in enumerate(participants[:3]):
            save_map(db, cohort_session=cohort_session, participant=participant,
                     program=participant.cohort.program_definition(),
                     data=participant_map(participant.id, 5), submit=index < 2)
    database.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield url, seeded
    get_settings.cache_clear()


def _use_smtp(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("SMTP_URL", url)
    get_settings.cache_clear()


def test_remind_sends_to_those_who_have_not_submitted_and_reports_each(
    class_of_four: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, seeded = class_of_four
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _use_smtp(monkeypatch, f"smtp://127.0.0.1:{port}")
        dry = CliRunner().invoke(cli, ["session", "remind", str(seeded.session_id), "--dry-run"])
        assert dry.exit_code == 0 and dry.output.count("would remind:") == 2
        assert not box.messages
        result = CliRunner().invoke(cli, ["session", "remind", str(seeded.session_id)])
    finally:
        controller.stop()
    lines = result.output.splitlines()
    # The draft (participant 2) went; the bouncing address (participant 3) failed, by name.
    assert "sent: Participant 002 <p002@example.org>" in lines
    assert any(line.startswith("failed: Participant 003 <bounce.p3@example.org>: ")
               for line in lines)
    assert result.exit_code == 1
    assert [str(m["To"]) for m in box.messages] == ["Participant 002 <p002@example.org>"]
    assert "Reminder" in str(box.messages[0]["Subject"])
    database = Database(url)
    with database.session() as db:
        statuses = {i.participant.name: (i.email_status, i.reminded_at is not None)
                    for i in db.scalars(select(Invitation))}
    database.dispose()
    assert statuses["Participant 002"] == ("sent", True)
    assert statuses["Participant 003"][0] == "failed"
    assert statuses["Participant 000"] == ("not_sent", False)  # submitted: not reminded


def test_remind_with_the_server_down_fails_every_person_and_says_so(
    class_of_four: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _url, seeded = class_of_four
    _use_smtp(monkeypatch, f"smtp://127.0.0.1:{free_port()}")  # nobody listens there
    result = CliRunner().invoke(cli, ["session", "remind", str(seeded.session_id)])
    assert result.exit_code == 1
    assert result.output.count("failed: ") == 2 and "sent: " not in result.output


def test_remind_refuses_bad_input_with_one_line(
    class_of_four: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _url, seeded = class_of_four
    monkeypatch.delenv("SMTP_URL", raising=False)
    get_settings.cache_clear()
    unknown = CliRunner().invoke(cli, ["session", "remind", "999999"])
    assert unknown.exit_code == 2 and "no session 999999" in unknown.output
    unconfigured = CliRunner().invoke(cli, ["session", "remind", str(seeded.session_id)])
    assert unconfigured.exit_code == 2 and "SMTP_URL" in unconfigured.output
