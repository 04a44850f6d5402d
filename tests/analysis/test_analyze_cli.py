"""The analyze command, registered on a local Typer app the way app.cli registers it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from app.cli.analyze import analyze
from tests.analysis.analysis_support import DESIGN_EXAMPLE, contact

app = typer.Typer()
app.command("analyze")(analyze)


@app.command("noop")
def _noop() -> None:
    """A second command so that "analyze" stays a subcommand, as in the real CLI."""


runner = CliRunner()


def write(tmp_path: Path, data: Any, name: str = "map.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run(*args: str) -> Any:
    return runner.invoke(app, ["analyze", *args])


def test_json_output_has_exactly_metrics_and_gaps(tmp_path: Path) -> None:
    result = run(str(write(tmp_path, DESIGN_EXAMPLE)), "--as-of", "2025-10-01")
    assert result.exit_code == 0, result.stderr
    output = json.loads(result.stdout)
    assert list(output) == ["metrics", "gaps"]
    assert output["metrics"]["size"] == 1
    assert output["metrics"]["blau"]["function"] == 0.0
    assert output["metrics"]["roles"]["mentor"] == 1
    assert {gap["id"] for gap in output["gaps"]} >= {"no_personal_life"}
    assert set(output["gaps"][0]) == {
        "id",
        "title",
        "severity",
        "evidence",
        "next_step",
        "contacts",
    }


def test_as_of_drives_dormancy(tmp_path: Path) -> None:
    path = write(tmp_path, DESIGN_EXAMPLE)  # last contact 2025-09
    recent = json.loads(run(str(path), "--as-of", "2026-08-31").stdout)
    dormant = json.loads(run(str(path), "--as-of", "2026-09-01").stdout)
    assert recent["metrics"]["dormant_count"] == 0
    assert dormant["metrics"]["dormant_count"] == 1


def test_italian_and_unicode_output(tmp_path: Path) -> None:
    data = {"contacts": [contact("a", label="Zoë")], "ties": [], "commitments": []}
    result = run(str(write(tmp_path, data)), "--as-of", "2025-10-01", "--lang", "it")
    assert result.exit_code == 0
    titles = [gap["title"] for gap in json.loads(result.stdout)["gaps"]]
    assert "Nessun contatto dalla vita privata" in titles
    assert "\\u" not in result.stdout


def test_warnings_go_to_stderr(tmp_path: Path) -> None:
    data = {"contacts": [contact("a"), contact("b")], "ties": [["a", "a"], ["a", "b"]]}
    result = run(str(write(tmp_path, data)), "--as-of", "2025-10-01")
    assert result.exit_code == 0
    json.loads(result.stdout)  # stdout stays pure JSON
    assert "warning: ties[0]: self-tie on 'a' dropped" in result.stderr


def test_table_format(tmp_path: Path) -> None:
    data = {
        "contacts": [contact("a", last_contact="2020-01", label="M.R.")],
        "ties": [],
        "commitments": [],
    }
    result = run(str(write(tmp_path, data)), "--as-of", "2025-10-01", "--format", "table")
    assert result.exit_code == 0
    assert "Network map as of 2025-10-01: 1 contacts" in result.stdout
    assert "Gaps (most severe first)" in result.stdout
    assert "Reconnect (closest first)" in result.stdout
    assert "M.R.: 69 months" in result.stdout


@pytest.mark.parametrize(
    ("content", "args", "reason"),
    [
        ("{not json", (), "not valid JSON (line 1, column 2"),
        (
            json.dumps({"contacts": [contact("a", closeness=9)]}),
            (),
            "contacts[0].closeness: must be between 1 and 5",
        ),
        (json.dumps({"contacts": [], "ties": [["a", "b"]]}), (), "ties[0]: unknown contact id"),
        (json.dumps(DESIGN_EXAMPLE), ("--as-of", "2025/10/01"), "--as-of: '2025/10/01' must be"),
        (json.dumps(DESIGN_EXAMPLE), ("--as-of", "2025-02-30"), "--as-of: '2025-02-30' is not"),
        (json.dumps(DESIGN_EXAMPLE), ("--format", "xml"), "--format: 'xml' must be one of"),
        (json.dumps(DESIGN_EXAMPLE), ("--lang", "fr"), "--lang: 'fr' must be one of"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, content: str, args: tuple[str, ...], reason: str
) -> None:
    result = run(str(write(tmp_path, content)), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert reason in lines[0]


def test_missing_file_and_bad_program(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent.json"))
    assert result.exit_code == 2
    assert "absent.json: cannot read the file" in result.stderr
    program = tmp_path / "broken.yaml"
    program.write_text("id: broken\nname: {en: A}\n", encoding="utf-8")
    result = run(str(write(tmp_path, DESIGN_EXAMPLE)), "--program", str(program))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "broken.yaml: name: missing text for 'it'" in line
    assert "sessions: required" in line
