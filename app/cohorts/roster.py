"""Rosters: CSV files and cohort YAML files, validated whole before anything is stored."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from app.cohorts.schemas import CohortFile, ParticipantIn
from app.core.errors import Invalid, pydantic_errors

ROSTER_COLUMNS = ("name", "email", "organization", "function", "industry", "language")
MAX_ROSTER_ROWS = 500
MAX_ROSTER_BYTES = 500_000


def decode_upload(content: bytes) -> str:
    """A roster upload as text: UTF-8 (with or without BOM) only."""
    if len(content) > MAX_ROSTER_BYTES:
        raise Invalid([f"file: larger than {MAX_ROSTER_BYTES // 1000} kB"])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(
            [f"file: not UTF-8 text (byte {exc.start}); save the roster as CSV UTF-8"]
        ) from exc


def _dialect(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


@dataclass(frozen=True)
class RowProblem:
    """One problem of a roster file: its line (None for the whole file), field and reason."""

    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}" if self.field else f"{where}{self.message}"


@dataclass
class RosterFile:
    """A parsed roster: its columns, the good rows with their line numbers, every problem."""

    columns: tuple[str, ...]
    rows: list[tuple[int, ParticipantIn]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def _row_problems(exc: ValidationError, line_number: int) -> list[RowProblem]:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(RowProblem(line_number, where, message))
    return problems


def read_roster(text: str) -> RosterFile:
    """Parse a roster CSV (header: name,email[,organization,function,industry,language]).

    Problems of the whole file (header, encoding, size, no rows) raise Invalid; problems
    of single rows, including an email that repeats an earlier row, are collected with
    their line number and field. Commas or semicolons both work.
    """
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise Invalid(["file: contains NUL bytes; is it really a CSV file?"])
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise Invalid([f"header: {exc}"]) from exc
    missing = [column for column in ("name", "email") if column not in header]
    if missing:
        raise Invalid(
            [f"header: missing column {', '.join(missing)} (expected {','.join(ROSTER_COLUMNS)})"]
        )
    unknown = [h for h in header if h and h not in ROSTER_COLUMNS]
    if unknown:
        raise Invalid([f"header: unknown column {', '.join(unknown)}"])
    roster = RosterFile(columns=tuple(h for h in header if h))
    seen: dict[str, int] = {}
    try:
        for raw in reader:
            line_number = reader.line_num
            if len(roster.rows) + len(roster.problems) >= MAX_ROSTER_ROWS:
                raise Invalid([f"file: more than {MAX_ROSTER_ROWS} participants"])
            if None in raw:
                roster.problems.append(
                    RowProblem(line_number, "", "more cells than columns in the header"))
                continue
            values = {
                (key or "").strip().lower(): (value or "").strip() for key, value in raw.items()
            }
            if not any(values.values()):
                continue  # a blank line
            data: dict[str, Any] = {k: v for k, v in values.items() if k in ROSTER_COLUMNS}
            if not data.get("language"):
                data.pop("language", None)
            try:
                row = ParticipantIn.model_validate(data)
            except ValidationError as exc:
                roster.problems.extend(_row_problems(exc, line_number))
                continue
            if row.email in seen:
                roster.problems.append(RowProblem(
                    line_number, "email", f"{row.email} repeats row {seen[row.email]}"))
                continue
            seen[row.email] = line_number
            roster.rows.append((line_number, row))
    except csv.Error as exc:
        roster.problems.append(RowProblem(reader.line_num, "", str(exc)))
    if not roster.rows and not roster.problems:
        raise Invalid(["file: no participants found below the header"])
    return roster


def parse_roster_csv(text: str) -> list[ParticipantIn]:
    """The rows of a roster CSV, all or nothing: every bad row is reported (Invalid)."""
    roster = read_roster(text)
    if roster.problems:
        raise Invalid([str(problem) for problem in roster.problems])
    return [row for _line, row in roster.rows]


def load_cohort_file(path: Path) -> tuple[CohortFile, list[ParticipantIn]]:
    """Read a cohort YAML file and its roster; every problem names the file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid([f"{path}: cannot read ({exc})"]) from exc
    except yaml.YAMLError as exc:
        raise Invalid([f"{path}: not valid YAML ({exc})".replace("\n", " ")]) from exc
    try:
        spec = CohortFile.model_validate(raw)
    except ValidationError as exc:
        raise Invalid(pydantic_errors(exc, f"{path}: ")) from exc
    participants = list(spec.participant_list)
    for roster in spec.roster_paths:
        roster_path = (path.parent / roster).resolve()
        try:
            roster_text = roster_path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise Invalid([f"{path}: roster: cannot read {roster_path} ({exc})"]) from exc
        try:
            participants.extend(parse_roster_csv(roster_text))
        except Invalid as exc:
            raise Invalid([f"{roster_path}: {e}" for e in exc.errors]) from exc
    return spec, participants
