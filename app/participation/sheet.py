"""The entry grid: a filled paper worksheet typed in, one row per person, keyboard only.

The grid's columns are the worksheet's (app.analysis.worksheet), in its order; a
choice is typed as its code on the sheet ("2", or "1 4" for several). The posted
grid becomes the same map JSON the form makes, and is saved through the same
service (validation, drafts, version check), so the grid adds no rules of its own
beyond reading codes and row numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.analysis import Program
from app.analysis.worksheet import (
    SHEET_COLUMNS,
    SHEET_COMMITMENTS,
    SHEET_ROWS,
    SheetColumn,
    code_of,
    decode_choices,
    split_numbers,
)
from app.core.i18n import translate
from app.participation import forms
from app.participation.forms import FormData

MAX_GRID_ROWS = forms.MAX_FORM_ROWS  # as many as a map may hold: saving never drops anyone
_ERROR = re.compile(r"^(contacts|commitments)\[(\d+)\](?:\.(\w+))?(?:\[\d+\])?: (.*)$", re.S)


@dataclass
class GridRow:
    number: int  # 1-based, as on the paper sheet
    id: str
    cells: dict[str, str]

    @property
    def is_blank(self) -> bool:
        return not any(value.strip() for value in self.cells.values())


@dataclass
class Grid:
    rows: list[GridRow]
    commitments: list[dict[str, str]]  # text, with (a row number)
    version: int
    action: str = "save"
    errors: dict[str, list[str]] = field(default_factory=dict)  # "r3-purpose" -> problems
    general: list[str] = field(default_factory=list)

    def error_lines(self, labels: dict[str, str], lang: str) -> list[tuple[str, str]]:
        """(cell id, "Row 3, Where you met: ...") for the summary above the grid."""
        lines = []
        for key, problems in self.errors.items():
            kind, _, name = key.partition("-")
            where = (translate("Row %(n)s", lang) if kind.startswith("r")
                     else translate("Commitment %(n)s", lang)) % {"n": kind[1:]}
            lines.append((key, f"{where}, {labels.get(name, name)}: {'; '.join(problems)}"))
        return lines


def _cell(column: SheetColumn, contact: dict[str, Any], program: Program,
          knows: dict[str, list[int]]) -> str:
    value = contact.get(column.name)
    if column.kind == "choice":
        return code_of(program, column.options, str(value)) if value else ""
    if column.kind == "choices":
        return " ".join(code_of(program, column.options, str(item)) for item in value or [])
    if column.kind == "flag":
        return "1" if value else ""
    if column.kind == "rows":
        return " ".join(str(number) for number in sorted(knows.get(contact["id"], [])))
    return "" if value is None else str(value)


def grid_from_map(data: dict[str, Any], program: Program, version: int) -> Grid:
    """The stored (or carried-forward) map as grid rows, padded to the sheet's 15."""
    contacts = list(data.get("contacts", []))[:MAX_GRID_ROWS]
    number_of = {contact["id"]: position for position, contact in enumerate(contacts, 1)}
    knows: dict[str, list[int]] = {}
    for first, second in data.get("ties", []):
        if first in number_of and second in number_of:
            knows.setdefault(first, []).append(number_of[second])
            knows.setdefault(second, []).append(number_of[first])
    rows = [
        GridRow(number=position, id=contact["id"], cells={
            column.name: _cell(column, contact, program, knows) for column in SHEET_COLUMNS
        })
        for position, contact in enumerate(contacts, 1)
    ]
    grid = Grid(rows=rows, commitments=[], version=version)
    add_rows(grid, SHEET_ROWS - len(rows))
    lines = min(SHEET_COMMITMENTS, program.exercise.limits.max_commitments)
    commitments = [
        {"text": str(item.get("text") or ""),
         "with": str(number_of.get(item.get("contact") or "", ""))}
        for item in data.get("commitments", [])[:lines]
    ]
    commitments += [{"text": "", "with": ""}] * (lines - len(commitments))
    grid.commitments = commitments
    return grid


def add_rows(grid: Grid, count: int) -> None:
    """``count`` more empty rows at the end (the no-JavaScript "Add more rows")."""
    taken = {row.id for row in grid.rows}
    for _ in range(max(0, min(count, MAX_GRID_ROWS - len(grid.rows)))):
        grid.rows.append(GridRow(number=len(grid.rows) + 1, id=forms.new_contact_id(taken),
                                 cells=dict.fromkeys((c.name for c in SHEET_COLUMNS), "")))


def parse_grid(posted: FormData, version: int) -> Grid:
    count = min(forms.parse_int(posted.get("rows")) or 0, MAX_GRID_ROWS)
    rows = []
    seen: set[str] = set()
    for number in range(1, count + 1):
        prefix = f"r{number}."
        row_id = posted.get(prefix + "id").strip()[:64]
        if not row_id or row_id in seen:
            continue
        seen.add(row_id)
        cells = {}
        for column in SHEET_COLUMNS:
            raw = posted.get(prefix + column.name).strip()
            cells[column.name] = "1" if column.kind == "flag" and raw else raw
        rows.append(GridRow(number=number, id=row_id, cells=cells))
    commitments = [
        {"text": posted.get(f"m{k}.text").strip(), "with": posted.get(f"m{k}.with").strip()}
        for k in range(1, SHEET_COMMITMENTS + 1)
    ]
    posted_version = forms.parse_int(posted.get("version"))
    return Grid(rows=rows, commitments=commitments,
                version=version if posted_version is None else posted_version,
                action=posted.get("action") or "save")


@dataclass
class GridMap:
    data: dict[str, Any]
    row_of_contact: list[int]
    row_of_commitment: list[int]


def grid_to_map(grid: Grid, program: Program, lang: str) -> GridMap:
    """The map JSON of the grid; codes and row numbers that mean nothing go to grid.errors."""
    contacts: list[dict[str, Any]] = []
    row_of_contact: list[int] = []
    id_of_row: dict[int, str] = {}
    for row in grid.rows:
        if not row.is_blank:
            id_of_row[row.number] = row.id
    ties: list[list[str]] = []
    pairs: set[frozenset[str]] = set()
    for row in grid.rows:
        if row.is_blank:
            continue
        contact: dict[str, Any] = {"id": row.id}
        for column in SHEET_COLUMNS:
            raw = row.cells[column.name]
            key = f"r{row.number}-{column.name}"
            if column.kind == "choice":
                chosen, unknown = decode_choices(program, column.options, raw)
                if unknown or len(chosen) > 1:
                    grid.errors.setdefault(key, []).append(_not_a_code(program, column, raw, lang))
                contact[column.name] = chosen[0] if chosen and not unknown else None
            elif column.kind == "choices":
                chosen, unknown = decode_choices(program, column.options, raw)
                if unknown:
                    grid.errors.setdefault(key, []).append(
                        _not_a_code(program, column, " ".join(unknown), lang))
                contact[column.name] = chosen
            elif column.kind == "flag":
                contact[column.name] = bool(raw)
            elif column.kind == "closeness":
                contact[column.name] = int(raw) if raw.isdigit() and len(raw) < 3 else (raw or None)
            elif column.kind == "month":
                contact[column.name] = forms.normalize_month(raw) or None
            elif column.kind == "rows":
                for part in split_numbers(raw):
                    other = id_of_row.get(int(part)) if part.isdigit() else None
                    if other is None:
                        grid.errors.setdefault(key, []).append(
                            translate("row %(n)s is empty or not on the sheet", lang)
                            % {"n": part})
                        continue
                    pair = frozenset((row.id, other))
                    if other != row.id and pair not in pairs:
                        pairs.add(pair)
                        ties.append([row.id, other])
            elif column.name == "label":
                contact["label"] = raw
            else:
                contact[column.name] = raw or None
        contacts.append(contact)
        row_of_contact.append(row.number)
    commitments: list[dict[str, Any]] = []
    row_of_commitment: list[int] = []
    for k, item in enumerate(grid.commitments, 1):
        if not (item["text"] or item["with"]):
            continue
        who = None
        if item["with"]:
            who = id_of_row.get(int(item["with"])) if item["with"].isdigit() else None
            if who is None:
                grid.errors.setdefault(f"m{k}-with", []).append(
                    translate("row %(n)s is empty or not on the sheet", lang) % {"n": item["with"]})
        commitments.append({"text": item["text"], "contact": who})
        row_of_commitment.append(k)
    return GridMap({"contacts": contacts, "ties": ties, "commitments": commitments},
                   row_of_contact, row_of_commitment)


def _not_a_code(program: Program, column: SheetColumn, raw: str, lang: str) -> str:
    count = len(program.options(column.options))
    if column.kind == "choice" and len(split_numbers(raw)) > 1:
        return translate("write one code only, from 1 to %(n)s", lang) % {"n": count}
    return translate("%(code)s is not a code of this list (1 to %(n)s)", lang) % {
        "code": raw, "n": count}


def add_validation_errors(grid: Grid, mapped: GridMap, errors: list[str], lang: str) -> None:
    """The map validator's `contacts[2].origin: ...` lines, placed on their grid cells."""
    for line in errors:
        match = _ERROR.match(line)
        if match is None:
            grid.general.append(forms.friendly(line, lang))
            continue
        kind, position, name, problem = match.groups()
        index = int(position)
        if kind == "contacts" and index < len(mapped.row_of_contact):
            key = f"r{mapped.row_of_contact[index]}-{name or 'label'}"
        elif kind == "commitments" and index < len(mapped.row_of_commitment):
            key = f"m{mapped.row_of_commitment[index]}-{'with' if name == 'contact' else 'text'}"
        else:
            grid.general.append(line)
            continue
        grid.errors.setdefault(key, []).append(forms.friendly(problem, lang))
