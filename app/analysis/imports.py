"""Imports into a draft map: a contacts CSV and LinkedIn's Connections.csv.

Both are all-or-nothing: every problem is collected as ``row N, column:
problem`` and raised together in MapImportError, and no map is returned.
Row numbers are the file's own line numbers (the header is a row too), so
they match what a spreadsheet shows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from app.analysis.model import (
    MAX_CONTACTS,
    Contact,
    MapValidationError,
    NetworkMap,
    parse_map,
)
from app.analysis.program import Program

CONTACT_COLUMNS: tuple[str, ...] = tuple(Contact.model_fields)
LIST_COLUMNS = frozenset({"roles", "qualities"})
BOOLEAN_COLUMNS = frozenset({"i_helped", "they_helped", "introduced"})
TRUE_WORDS = frozenset({"yes", "true", "1", "y", "sì", "si"})
FALSE_WORDS = frozenset({"no", "false", "0", "n", ""})
LINKEDIN_HEADER = (
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
)
MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


class MapImportError(ValueError):
    """A rejected import; ``errors`` names the row and column of every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def _rows(reader: Any, line_offset: int) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with the file line number they end on."""
    for record in reader:
        if any(cell.strip() for cell in record):
            yield reader.line_num + line_offset, record


def import_contacts_csv(text: str, program: Program) -> NetworkMap:
    """One contact per row, the map JSON fields as columns (``label`` is required).

    ``roles`` and ``qualities`` are separated by ";"; booleans read
    yes/no/true/false/1/0 (blank is no); a blank ``id`` gets ``c1``, ``c2``...
    Values are checked against the program, as in a draft map.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise MapImportError(["row 1: the file is empty; expected a header row of column names"])
    columns = [cell.strip().casefold() for cell in header]
    errors = [
        f"row 1, {column}: unknown column (expected some of {', '.join(CONTACT_COLUMNS)})"
        for column in columns
        if column not in CONTACT_COLUMNS
    ]
    errors += [
        f"row 1, {c}: column appears twice" for c in sorted(set(columns)) if columns.count(c) > 1
    ]
    if "label" not in columns:
        errors.append("row 1: a label column is required")
    if errors:
        raise MapImportError(errors)

    row_numbers: list[int] = []
    contacts: list[dict[str, Any]] = []
    for row_number, record in _rows(reader, 0):
        if len(record) > len(columns):
            errors.append(f"row {row_number}: {len(record)} cells but {len(columns)} columns")
            continue
        cells = dict(zip(columns, (cell.strip() for cell in record), strict=False))
        contacts.append(_contact_from_cells(cells, row_number, errors))
        row_numbers.append(row_number)
    _assign_missing_ids(contacts, prefix="c")
    return _validated(contacts, row_numbers, program, errors)


def _contact_from_cells(cells: dict[str, str], row: int, errors: list[str]) -> dict[str, Any]:
    contact: dict[str, Any] = {}
    for column, value in cells.items():
        if column in LIST_COLUMNS:
            contact[column] = [part.strip() for part in value.split(";") if part.strip()]
        elif column in BOOLEAN_COLUMNS:
            word = value.casefold()
            if word in TRUE_WORDS:
                contact[column] = True
            elif word in FALSE_WORDS:
                contact[column] = False
            else:
                errors.append(f"row {row}, {column}: {value!r} is not yes/no, true/false or 1/0")
        elif column == "closeness":
            if not value:
                contact[column] = None
            elif re.fullmatch(r"\d+", value):
                contact[column] = int(value)
            else:
                errors.append(f"row {row}, closeness: must be a whole number between 1 and 5")
        else:
            contact[column] = value or None
    return contact


def _assign_missing_ids(contacts: list[dict[str, Any]], prefix: str) -> None:
    taken = {c["id"] for c in contacts if c.get("id")}
    counter = 0
    for contact in contacts:
        if contact.get("id"):
            continue
        counter += 1
        while f"{prefix}{counter}" in taken:
            counter += 1
        contact["id"] = f"{prefix}{counter}"
        taken.add(contact["id"])


def _validated(
    contacts: list[dict[str, Any]], row_numbers: list[int], program: Program, errors: list[str]
) -> NetworkMap:
    """Validate as a draft map and translate ``contacts[i].x`` paths into row numbers."""
    limit = min(MAX_CONTACTS, program.exercise.limits.max_contacts)
    if len(contacts) > limit:
        raise MapImportError(
            [
                *errors,
                f"file: {len(contacts)} contacts, but a map holds at most {limit}; "
                "keep the rows you want and import again",
            ]
        )
    # A draft may hold a card not yet named, but a row of a file is a person: it needs one.
    errors.extend(
        f"row {row_numbers[index]}, label: required"
        for index, contact in enumerate(contacts)
        if not str(contact.get("label") or "").strip()
    )
    try:
        parsed = parse_map({"contacts": contacts}, program, draft=True)
    except MapValidationError as exc:
        errors.extend(_row_message(message, row_numbers) for message in exc.errors)
        raise MapImportError(sorted(errors, key=_row_sort_key)) from exc
    if errors:
        raise MapImportError(sorted(errors, key=_row_sort_key))
    return parsed.map


def _row_message(message: str, row_numbers: list[int]) -> str:
    match = re.match(r"^contacts\[(\d+)\]\.(\w+)(?:\[\d+\])?: (.*)$", message)
    if match is None:
        return message
    index, column, problem = match.groups()
    problem = re.sub(
        r" \(also contacts\[(\d+)\]\)",
        lambda m: f" (also row {row_numbers[int(m.group(1))]})",
        problem,
    )
    return f"row {row_numbers[int(index)]}, {column}: {problem}"


def _row_sort_key(message: str) -> tuple[int, str]:
    match = re.match(r"^row (\d+)", message)
    return (int(match.group(1)) if match else 0, message)


def import_linkedin_csv(
    text: str, own_organization: str | None, program: Program, *, keep: int | None = None
) -> NetworkMap:
    """A draft map from LinkedIn's Connections.csv export.

    Real exports often list hundreds of connections, more than a map holds and far
    more than the exercise wants. Only the ``keep`` most recently connected rows are
    imported (default: the program's contact limit); older ones are left out, not
    an error, since the participant reviews the draft before saving.

    LinkedIn puts a few "Notes:" lines before the header ``First Name, Last
    Name, URL, Email Address, Company, Position, Connected On``. Only what the
    exercise asks for is kept: the label becomes the initials ("Maria Rossi"
    -> "M.R."); organization is ``inside`` when the company equals
    ``own_organization`` after trimming and case-folding, else ``outside``
    (unset when either is blank); last_contact is the month of Connected On
    ("12 Mar 2024" -> "2024-03"). Names, URLs, e-mail addresses and job titles
    are dropped: a job title is not a function, so function stays empty for
    the participant to fill in, with purpose and the rest.
    """
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    header_index = next(
        (i for i, line in enumerate(lines) if line.lstrip().startswith("First Name")), None
    )
    if header_index is None:
        raise MapImportError(
            [
                "file: no 'First Name,Last Name,...' header found; "
                "is this LinkedIn's Connections.csv?"
            ]
        )
    reader = csv.reader(io.StringIO("".join(lines[header_index:])))
    columns = [cell.strip() for cell in next(reader)]
    missing = [c for c in ("First Name", "Last Name", "Connected On") if c not in columns]
    if missing:
        raise MapImportError(
            [f"row {header_index + 1}, {c}: column missing from the header" for c in missing]
        )
    own = (own_organization or "").strip().casefold()
    errors: list[str] = []
    contacts: list[dict[str, Any]] = []
    row_numbers: list[int] = []
    for row_number, record in _rows(reader, header_index):
        cells = dict(zip(columns, (cell.strip() for cell in record), strict=False))
        company = cells.get("Company", "").casefold()
        last_contact = _connected_month(cells.get("Connected On", ""))
        if last_contact == "invalid":
            errors.append(
                f"row {row_number}, Connected On: {cells['Connected On']!r} is not a date "
                "like '12 Mar 2024'"
            )
            last_contact = None
        contacts.append(
            {
                "id": f"li{len(contacts) + 1}",
                "label": initials(cells.get("First Name", ""), cells.get("Last Name", "")),
                "organization": None
                if not own or not company
                else ("inside" if company == own else "outside"),
                "last_contact": last_contact,
            }
        )
        row_numbers.append(row_number)
    limit = min(MAX_CONTACTS, program.exercise.limits.max_contacts)
    keep = limit if keep is None else max(0, min(keep, limit))
    if len(contacts) > keep:
        # "YYYY-MM" sorts as text; rows without a date count as the oldest.
        newest = sorted(
            range(len(contacts)),
            key=lambda i: contacts[i]["last_contact"] or "",
            reverse=True,
        )[:keep]
        chosen = sorted(newest)
        contacts = [contacts[i] for i in chosen]
        row_numbers = [row_numbers[i] for i in chosen]
    return _validated(contacts, row_numbers, program, errors)


def initials(first_name: str, last_name: str) -> str:
    """ "Maria Rossi" -> "M.R."; "?" when neither name has a letter."""
    letters = [next((ch for ch in name if ch.isalpha()), "") for name in (first_name, last_name)]
    found = [letter.upper() + "." for letter in letters if letter]
    return "".join(found) or "?"


def _connected_month(value: str) -> str | None:
    """ "12 Mar 2024" (or "2024-03-12") -> "2024-03"; "" -> None; else "invalid"."""
    value = value.strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{4})", value)
    if match and match.group(2).casefold() in MONTHS:
        return f"{match.group(3)}-{MONTHS[match.group(2).casefold()]:02d}"
    match = re.fullmatch(r"(\d{4})-(\d{2})-\d{2}", value)
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{match.group(1)}-{match.group(2)}"
    return "invalid"
