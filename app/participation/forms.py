"""The HTML form and the map JSON, both ways.

Form fields are named per row: ``c3.label``, ``c3.roles`` (repeated), ``c3.knows``
(the ids of the other contacts this one knows), ``m0.text`` for commitments,
``review0`` for last session's commitments. An empty row (nothing typed) is
ignored; a row with something typed but no label gets "label: must not be
empty", so nothing typed is ever dropped silently.

Who-knows-whom is shown on both contacts of a pair. The hidden ``ties_before``
lists the pairs the page was rendered with: a pair that was tied stays tied
only while both boxes stay ticked (unticking either side removes it), and a
new pair is tied when either side is ticked.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.analysis import EARLIEST_MONTH
from app.core.i18n import N_, translate

CONTACT_FIELDS = (
    "label", "purpose", "roles", "origin", "organization", "function", "industry",
    "qualities", "closeness", "last_contact", "i_helped", "they_helped", "introduced",
)
TEXT_FIELDS = ("label", "purpose", "origin", "organization", "function", "industry",
               "closeness", "last_contact")
LIST_FIELDS = ("roles", "qualities")
BOOL_FIELDS = ("i_helped", "they_helped", "introduced")
ADD_ROWS = 5
MIN_EMPTY_ROWS = 3
COMMITMENT_ROWS = 3
MAX_FORM_ROWS = 250


class FormData:
    """A read-only view of posted fields: first value or all values of a name."""

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        self._values: dict[str, list[str]] = {}
        for key, value in items:
            if isinstance(value, str):
                self._values.setdefault(key, []).append(value)

    def get(self, name: str, default: str = "") -> str:
        values = self._values.get(name)
        return values[0] if values else default

    def getlist(self, name: str) -> list[str]:
        return list(self._values.get(name, []))


@dataclass
class Row:
    """One contact card as shown (and as typed, when the form comes back with errors)."""

    index: int
    id: str
    values: dict[str, Any]
    knows: set[str] = field(default_factory=set)
    last_contact_before: str | None = None

    @property
    def is_blank(self) -> bool:
        return not any(
            self.values.get(name) for name in (*TEXT_FIELDS, *LIST_FIELDS, *BOOL_FIELDS)
        )


@dataclass
class FormInput:
    """The posted form: rows as typed, the map built from them, and where errors go."""

    rows: list[Row]
    commitments: list[dict[str, str]]
    review: list[bool | None]
    version: int | None
    action: str
    map_data: dict[str, Any]
    row_of_contact: list[int]
    row_of_commitment: list[int]
    ties: list[list[str]]


def new_contact_id(taken: set[str]) -> str:
    while True:
        candidate = "n" + secrets.token_hex(3)
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def rows_from_map(
    data: Mapping[str, Any], last_contacts_before: Mapping[str, str] | None = None
) -> list[Row]:
    knows: dict[str, set[str]] = {}
    for pair in data.get("ties", []):
        first, second = pair[0], pair[1]
        knows.setdefault(first, set()).add(second)
        knows.setdefault(second, set()).add(first)
    rows = []
    for index, contact in enumerate(data.get("contacts", [])):
        values: dict[str, Any] = {name: contact.get(name) for name in CONTACT_FIELDS}
        for name in TEXT_FIELDS:
            values[name] = "" if values[name] is None else str(values[name])
        for name in LIST_FIELDS:
            values[name] = list(values[name] or [])
        for name in BOOL_FIELDS:
            values[name] = bool(values[name])
        rows.append(
            Row(
                index=index, id=contact["id"], values=values,
                knows=knows.get(contact["id"], set()),
                last_contact_before=(last_contacts_before or {}).get(contact["id"]),
            )
        )
    return rows


def blank_row(index: int, contact_id: str) -> Row:
    values: dict[str, Any] = dict.fromkeys(TEXT_FIELDS, "")
    values.update({name: [] for name in LIST_FIELDS})
    values.update(dict.fromkeys(BOOL_FIELDS, False))
    return Row(index=index, id=contact_id, values=values)


def pad_rows(rows: list[Row], *, extra: int = 0) -> list[Row]:
    """Add empty rows at the end: at least MIN_EMPTY_ROWS blank ones, plus `extra`."""
    blanks = sum(1 for row in rows if row.is_blank)
    wanted = max(0, MIN_EMPTY_ROWS - blanks) + extra
    wanted = max(0, min(wanted, MAX_FORM_ROWS - len(rows)))
    taken = {row.id for row in rows}
    padded = list(rows)
    for _ in range(wanted):
        padded.append(blank_row(len(padded), new_contact_id(taken)))
    for index, row in enumerate(padded):
        row.index = index
    return padded


def commitment_rows(commitments: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = [
        {"text": str(item.get("text") or ""), "contact": str(item.get("contact") or "")}
        for item in commitments[:COMMITMENT_ROWS]
    ]
    rows += [{"text": "", "contact": ""}] * (COMMITMENT_ROWS - len(rows))
    return rows


def ties_field(data: Mapping[str, Any]) -> str:
    return json.dumps([list(pair) for pair in data.get("ties", [])])


def _month(value: str) -> str:
    value = value.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
    return f"{match.group(1)}-{int(match.group(2)):02d}" if match else value


def normalize_month(value: str) -> str:
    """ "2025-9" -> "2025-09"; anything else is returned for the validator to name."""
    return _month(value)


def parse_int(value: str) -> int | None:
    """A small non-negative whole number, or None."""
    return _int(value, None)


def parse_form(form: FormData, review_count: int) -> FormInput:
    row_count = min(_int(form.get("rows"), 0) or 0, MAX_FORM_ROWS)
    rows: list[Row] = []
    for index in range(row_count):
        prefix = f"c{index}."
        contact_id = form.get(prefix + "id").strip()[:64]
        if not contact_id or form.get(prefix + "remove"):
            continue
        values: dict[str, Any] = {name: form.get(prefix + name).strip() for name in TEXT_FIELDS}
        values["last_contact"] = _month(values["last_contact"])
        for name in LIST_FIELDS:
            values[name] = list(dict.fromkeys(form.getlist(prefix + name)))
        for name in BOOL_FIELDS:
            values[name] = bool(form.get(prefix + name))
        row = Row(index=len(rows), id=contact_id, values=values,
                  knows=set(form.getlist(prefix + "knows")),
                  last_contact_before=form.get(prefix + "before") or None)
        rows.append(row)

    contacts, row_of_contact, seen = [], [], set()
    for row in rows:
        if row.is_blank or row.id in seen:
            continue
        seen.add(row.id)
        contacts.append(_contact(row))
        row_of_contact.append(row.index)
    ties = _ties(rows, seen, form.get("ties_before"))

    commitments = [
        {"text": form.get(f"m{k}.text").strip(), "contact": form.get(f"m{k}.contact").strip()}
        for k in range(COMMITMENT_ROWS)
    ]
    map_commitments, row_of_commitment = [], []
    for k, item in enumerate(commitments):
        if item["text"] or item["contact"]:
            map_commitments.append({"text": item["text"], "contact": item["contact"] or None})
            row_of_commitment.append(k)

    review: list[bool | None] = []
    for k in range(review_count):
        answer = form.get(f"review{k}")
        review.append(True if answer == "kept" else False if answer == "not_kept" else None)

    version = _int(form.get("version"), None)
    return FormInput(
        rows=rows, commitments=commitments, review=review, version=version,
        action=form.get("action") or "save",
        map_data={"contacts": contacts, "ties": ties, "commitments": map_commitments},
        row_of_contact=row_of_contact, row_of_commitment=row_of_commitment, ties=ties,
    )


def _int(value: str, default: int | None) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 10 else default


def _contact(row: Row) -> dict[str, Any]:
    contact: dict[str, Any] = {"id": row.id}
    for name in CONTACT_FIELDS:
        value = row.values[name]
        if name == "closeness":
            contact[name] = int(value) if value.isdigit() and len(value) < 3 else (value or None)
        elif name in TEXT_FIELDS:
            contact[name] = value or (None if name != "label" else "")
        else:
            contact[name] = value
    return contact


def _ties(rows: list[Row], present: set[str], ties_before: str) -> list[list[str]]:
    before: set[frozenset[str]] = set()
    try:
        for pair in json.loads(ties_before or "[]"):
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair):
                before.add(frozenset(pair))
    except ValueError:
        before = set()
    sides: dict[frozenset[str], int] = {}
    order: list[frozenset[str]] = []
    for row in rows:
        if row.id not in present:
            continue
        for other in sorted(row.knows):
            if other == row.id or other not in present:
                continue
            pair = frozenset((row.id, other))
            if pair not in sides:
                order.append(pair)
            sides[pair] = sides.get(pair, 0) + 1
    position = {row.id: row.index for row in rows}
    ties = []
    for pair in order:
        if pair in before and sides[pair] < 2:
            continue  # one side was unticked: the pair no longer knows each other
        ties.append(sorted(pair, key=lambda contact_id: position[contact_id]))
    return ties


# --- errors next to their fields ---------------------------------------------------------

_PATH = re.compile(r"^(contacts|commitments)\[(\d+)\](?:\.(\w+))?(?:\[\d+\])?: (.*)$", re.S)

_PROBLEMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^required before submitting$"), N_("needed before you submit")),
    (re.compile(r"^must not be empty$"), N_("please fill this in")),
    (re.compile(r"^required$"), N_("please fill this in")),
    (re.compile(r"^must be (a whole number )?between 1 and 5$"), N_("choose a number from 1 to 5")),
    (re.compile(r"^must be a month written YYYY-MM.*$"),
     N_("write a month as YYYY-MM, e.g. 2025-09")),
    (re.compile(rf"^must be between {re.escape(EARLIEST_MONTH)} and (\d{{4}}-\d{{2}})$"),
     N_("choose a month from 1950 up to %(n)s")),
    (re.compile(r"^at most (\d+) characters, got \d+$"), N_("too long: at most %(n)s characters")),
    (re.compile(r"^duplicate id .*$"), N_("this id is used by another contact")),
    (re.compile(r"^'.*' is not one of .*$"), N_("not one of the choices offered")),
    (re.compile(r"^unknown contact id .*$"), N_("this person is no longer on your map")),
    (re.compile(r"^must not contain control characters.*$"),
     N_("contains invisible control characters")),
    (re.compile(r"^add at least one person before submitting$"),
     N_("add at least one person before submitting")),
]


def friendly(problem: str, lang: str) -> str:
    """A validation problem in plain words, in the page's language (unknown ones as they are)."""
    for pattern, message in _PROBLEMS:
        match = pattern.match(problem)
        if match:
            text = translate(message, lang)
            return text % {"n": match.group(1)} if "%(n)s" in text else text
    return problem


def field_errors(
    errors: list[str], form: FormInput | None, lang: str
) -> tuple[dict[str, list[str]], list[str]]:
    """Split `path: problem` lines into errors per field id (``c3-closeness``) and the rest."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for line in errors:
        match = _PATH.match(line)
        key = None
        if match and form is not None:
            kind, position, name, problem = match.groups()
            index = int(position)
            if kind == "contacts" and index < len(form.row_of_contact):
                key = f"c{form.row_of_contact[index]}-{name or 'label'}"
            elif kind == "commitments" and index < len(form.row_of_commitment):
                key = f"m{form.row_of_commitment[index]}-{name or 'text'}"
        if key is not None and match is not None:
            by_field.setdefault(key, []).append(friendly(match.group(4), lang))
        else:
            path, _, problem = line.partition(": ")
            general.append(f"{path}: {friendly(problem, lang)}" if problem else line)
    return by_field, general
