"""Rosters: CSV files and cohort YAML files, validated whole before anything is stored."""

from __future__ import annotations

import csv
import io
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


def parse_roster_csv(text: str) -> list[ParticipantIn]:
    """Parse a roster CSV (header: name,email[,organization,function,industry,language]).

    Every bad row is reported, and nothing is returned unless all rows are good.
    A header-only or empty file is an error too. Commas or semicolons both work.
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
    rows: list[ParticipantIn] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    try:
        for raw in reader:
            line_number = reader.line_num
            if len(rows) + len(errors) >= MAX_ROSTER_ROWS:
                raise Invalid([f"file: more than {MAX_ROSTER_ROWS} participants"])
            if None in raw:
                errors.append(f"row {line_number}: more cells than columns in the header")
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
                errors.extend(pydantic_errors(exc, f"row {line_number}, "))
                continue
            if row.email in seen:
                errors.append(
                    f"row {line_number}, email: {row.email} repeats row {seen[row.email]}"
                )
                continue
            seen[row.email] = line_number
            rows.append(row)
    except csv.Error as exc:
        errors.append(f"row {reader.line_num}: {exc}")
    if errors:
        raise Invalid(errors)
    if not rows:
        raise Invalid(["file: no participants found below the header"])
    return rows


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
