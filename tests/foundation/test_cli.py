"""The `wellspring` CLI, run in-process against a fresh database of the kind under test."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.core.config import get_settings
from tests.conftest import TEST_SECRET

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_env(
    make_database_url: Callable[..., str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[str]:
    url = make_database_url(migrate=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("BASE_URL", "http://127.0.0.1:8000")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_demo_is_idempotent_and_prints_links(cli_env: str) -> None:
    code, out, err = run("demo", "--base-url", "http://example.test:9000")
    assert code == 0, err
    first = json.loads(out)
    assert first["facilitator"]["email"] and first["facilitator"]["password"]
    assert len(first["participant_links"]) >= 5
    statuses = [link["status"] for link in first["participant_links"]]
    assert statuses.count("submitted") >= 3
    assert all(
        link["link"].startswith("http://example.test:9000/p/")
        for link in first["participant_links"]
    )
    code, out, _ = run("demo", "--base-url", "http://example.test:9000")
    second = json.loads(out)
    assert (second["cohort_id"], second["session_id"]) == (first["cohort_id"], first["session_id"])
    assert second["participant_links"] == first["participant_links"]


def test_facilitator_create_and_duplicate(cli_env: str) -> None:
    code, out, _ = run(
        "facilitator", "create", "--email", "Ada@Example.org", "--password", "long enough pw"
    )
    assert code == 0
    assert json.loads(out)["email"] == "ada@example.org"
    code, _, err = run(
        "facilitator", "create", "--email", "ada@example.org", "--password", "long enough pw"
    )
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "email" in err and "already exists" in err
    code, _, err = run("facilitator", "create", "--email", "b@example.org", "--password", "short")
    assert code == 2 and "password" in err


def test_cohort_import_example(cli_env: str) -> None:
    example = REPO_ROOT / "cohorts" / "example" / "example-cohort.yaml"
    code, _, err = run("cohort", "import", str(example))
    assert code == 2
    assert "giulia.ferrante@example.org" in err  # named facilitators must have accounts
    for email in ("giulia.ferrante@example.org", "tom.okafor@example.org", "lead@example.org"):
        run("facilitator", "create", "--email", email, "--password", "long enough pw")
    code, out, err = run("cohort", "import", str(example), "--facilitator", "lead@example.org")
    assert code == 0, err
    assert json.loads(out)["participants"] >= 5


def test_cohort_import_reports_bad_files(cli_env: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nlanguage: fr\nfacilitators: []\n")
    code, _, err = run("cohort", "import", str(bad))
    assert code == 2
    assert "language" in err
    code, _, err = run("cohort", "import", str(tmp_path / "nope.yaml"))
    assert code == 2 and "does not exist" in err


def test_backup(cli_env: str, tmp_path: Path, is_postgres: bool) -> None:
    run("demo")
    target = tmp_path / "backup.db"
    code, _out, err = run("backup", "-o", str(target))
    if is_postgres:
        assert code == 2
        assert "pg_dump" in err
        return
    assert code == 0, err
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM submissions").fetchone()[0] > 0
    code, _, err = run("backup", "-o", str(target))
    assert code == 2 and "already exists" in err
