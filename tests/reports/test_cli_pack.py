"""`wellspring report pack SESSION_ID -o FILE`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from pypdf import PdfReader
from typer.testing import CliRunner

from app.cli.report import pack
from app.core.config import get_settings
from app.core.db import Database
from app.sessions.models import CohortSession
from tests.factories import build_cohort


@pytest.fixture
def cli_env(make_database_url: Callable[..., str],
            monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = make_database_url()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret-" + "x" * 40)
    monkeypatch.setenv("RENDER_WORKERS", "2")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def app() -> typer.Typer:
    application = typer.Typer()
    application.command()(pack)
    return application


def test_bad_session_id_exits_2_with_one_line(cli_env: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app(), ["424242", "-o", str(tmp_path / "pack.pdf")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "424242" in result.stderr
    assert not (tmp_path / "pack.pdf").exists()


def test_missing_output_directory_exits_2(cli_env: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app(), ["1", "-o", str(tmp_path / "nope" / "pack.pdf")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_writes_the_pack(cli_env: str, tmp_path: Path) -> None:
    database = Database(cli_env)
    try:
        with database.session() as db:
            session_id = build_cohort(db, participants=2, contacts=6, previous=False).id
    finally:
        database.dispose()
    target = tmp_path / "pack.pdf"
    result = CliRunner().invoke(app(), [str(session_id), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert str(target) in result.stdout
    assert len(PdfReader(target).pages) >= 3
    # Not a terminal here: progress comes as plain lines on stderr, ending with all 3 reports.
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("reports ready: ") for line in lines)
    assert lines[0] == "reports ready: 0/3" and lines[-1] == "reports ready: 3/3"
    database = Database(cli_env)
    try:
        with database.session() as db:
            printed = db.get(CohortSession, session_id)
            assert printed is not None and printed.pack_printed_at is not None
    finally:
        database.dispose()
