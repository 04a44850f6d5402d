"""``wellspring analyze MAP.json``: measures and gaps of one map.

Registered by ``app.cli`` as ``app.command("analyze")(analyze)``. Invalid input
exits with code 2 and a one-line reason on stderr; warnings go to stderr too,
so stdout is always exactly the requested output.
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import typer

from app.analysis import (
    MapAnalysis,
    MapValidationError,
    Program,
    ProgramError,
    analyze_map,
    default_program_path,
    load_program,
    parse_map,
)
from app.reports.rendering.formatting import texts

FORMATS = ("json", "table")
LANGUAGES = ("en", "it")


def _fail(reason: str) -> NoReturn:
    typer.echo(f"error: {' '.join(reason.split())}", err=True)
    raise typer.Exit(2)


def _parse_as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        _fail(f"--as-of: {value!r} must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        _fail(f"--as-of: {value!r} is not a valid date ({exc})")


def _read_map(map_file: Path) -> Any:
    try:
        text = map_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{map_file}: cannot read the file ({exc})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"{map_file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")


def analyze(
    map_file: Path,
    program: Path | None = typer.Option(
        None, "--program", help="Program YAML (default: cohorts/leadership-8-month.yaml)."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Date treated as 'now', YYYY-MM-DD (default: today)."
    ),
    format: str = typer.Option("json", "--format", help="json|table"),
    lang: str = typer.Option("en", "--lang", help="Language of titles and next steps: en|it."),
) -> None:
    """Analyse one map (JSON) and print its measures and ranked gaps."""
    if format not in FORMATS:
        _fail(f"--format: {format!r} must be one of {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        _fail(f"--lang: {lang!r} must be one of {', '.join(LANGUAGES)}")
    today = _parse_as_of(as_of)
    try:
        loaded_program = load_program(program or default_program_path())
    except ProgramError as exc:
        _fail(str(exc))
    data = _read_map(map_file)
    try:
        parsed = parse_map(data, loaded_program)
    except MapValidationError as exc:
        _fail(f"{map_file}: {exc}")
    result = analyze_map(parsed.map, loaded_program, today)
    for warning in [*parsed.warnings, *result.warnings]:
        typer.echo(f"warning: {warning}", err=True)

    if format == "json":
        output = result.to_json(texts(lang))
        typer.echo(
            json.dumps(
                {"metrics": output["metrics"], "gaps": output["gaps"]},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        typer.echo(render_table(result, loaded_program, today, lang))


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def render_table(result: MapAnalysis, program: Program, as_of: date, lang: str) -> str:
    """A readable plain-text summary: measures, ranked gaps, reconnect list."""
    metrics = result.metrics
    lines = [f"Network map as of {as_of.isoformat()}: {metrics['size']} contacts", "", "Measures"]
    for key, value in metrics.items():
        if isinstance(value, dict):
            if key == "roles":
                parts = [f"{program.label('roles', k, lang)} {v}" for k, v in value.items()]
            else:
                parts = [f"{k} {_number(v)}" for k, v in value.items()]
            lines.append(f"  {key:<20} {', '.join(parts)}")
        else:
            lines.append(f"  {key:<20} {_number(value)}")
    lines += ["", "Gaps (most severe first)" if result.gaps else "Gaps: none"]
    for rank, gap in enumerate(result.gaps, start=1):
        data = gap.to_json(texts(lang))
        lines.append(f"  {rank}. [{gap.severity}] {data['title']}")
        evidence = ", ".join(f"{k}={_number(v)}" for k, v in gap.evidence.items())
        lines.append(f"     evidence: {evidence}")
        lines += textwrap.wrap(
            data["next_step"], width=96, initial_indent="     -> ", subsequent_indent="        "
        )
    if result.reconnect:
        lines += ["", "Reconnect (closest first)"]
        for item in result.reconnect:
            closeness = "?" if item.closeness is None else item.closeness
            lines.append(
                f"  {item.label}: {item.months_since} months, closeness {closeness}, "
                f"{item.purpose or '-'}"
            )
    return "\n".join(lines)
