"""Session downloads: links CSV, data CSV, egor-style tables and GraphML (ZIPs).

Every CSV cell that a spreadsheet could read as a formula (text starting with
=, +, -, @, a tab or a carriage return) is neutralised with a leading
apostrophe. Numbers we compute ourselves are written as numbers.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.analysis import egor_tables, graphml
from app.participation import repository as submissions
from app.participation.models import LinkStatus
from app.participation.progress import LinkRow, submitted_maps
from app.sessions.models import CohortSession

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")

CONTACT_COLUMNS = (
    "contact_id", "label", "purpose", "roles", "origin", "organization", "function",
    "industry", "qualities", "closeness", "last_contact", "i_helped", "they_helped",
    "introduced",
)


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will show as text, never evaluate."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = ";".join(str(item) for item in value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def neutralise_csv(text: str) -> str:
    """Re-write a CSV made elsewhere with every formula-like text cell neutralised."""
    reader = csv.reader(io.StringIO(text, newline=""))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in reader:
        writer.writerow(
            [cell if _PLAIN_NUMBER.fullmatch(cell) else safe_cell(cell) for cell in row]
        )
    return buffer.getvalue()


def links_csv(rows: Sequence[LinkRow]) -> str:
    return "\ufeff" + csv_text(
        ["participant_id", "name", "email", "status", "link", "email_status", "email_error"],
        [
            [
                row.participant.id, row.participant.name, row.participant.email, row.status,
                row.link or "", row.invitation.email_status, row.invitation.email_error or "",
            ]
            for row in rows
        ],
    )


def session_csv(db: Session, cohort_session: CohortSession, rows: Sequence[LinkRow]) -> str:
    """One row per contact of each participant's map (drafts included, with their status).

    A participant without a map (or with an empty one) still has a row, so the
    file doubles as a progress sheet.
    """
    maps = submissions.maps_by_participant(db, cohort_session.id)
    header = ["session", "participant_id", "participant", "status", "submitted_at",
              *CONTACT_COLUMNS]
    body: list[list[Any]] = []
    for row in rows:
        lead = [cohort_session.number, row.participant.id, row.participant.name, row.status,
                row.submitted_at]
        contacts = (maps.get(row.participant.id) or {}).get("contacts") or []
        if not contacts or row.status == LinkStatus.REVOKED:
            body.append(lead + [None] * len(CONTACT_COLUMNS))
            continue
        for contact in contacts:
            values = {**contact, "contact_id": contact.get("id")}
            body.append(lead + [values.get(column) for column in CONTACT_COLUMNS])
    return "\ufeff" + csv_text(header, body)


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def egor_zip(db: Session, cohort_session: CohortSession, rows: Sequence[LinkRow]) -> bytes:
    """egos.csv, alters.csv and alter_ties.csv of the submitted maps (no contact labels)."""
    program = cohort_session.cohort.program_definition()
    maps = submitted_maps(db, cohort_session, program)
    participants = {str(row.participant.id): row.participant for row in rows}
    egos = {
        pid: {
            "session": cohort_session.number,
            "function": participants[pid].function if pid in participants else None,
            "industry": participants[pid].industry if pid in participants else None,
        }
        for pid in maps
    }
    tables = egor_tables(maps, egos)
    files = {name: neutralise_csv(text) for name, text in tables.items()}
    files["README.txt"] = (
        "egor-style tables of one Wellspring session (submitted maps only).\n"
        "egoID is the participant id; alterID is the contact id within that map.\n"
        "In R: egor::threefiles_to_egor(egos, alters, alter_ties, ID.vars = list(\n"
        "  ego = 'egoID', alter = 'alterID', source = 'Source', target = 'Target'))\n"
    )
    return _zip(files)


def graphml_zip(db: Session, cohort_session: CohortSession, rows: Sequence[LinkRow]) -> bytes:
    """One GraphML file per submitted map; ego's node is labelled with the participant's name."""
    program = cohort_session.cohort.program_definition()
    maps = submitted_maps(db, cohort_session, program)
    names = {str(row.participant.id): row.participant.name for row in rows}
    return _zip(
        {
            f"participant-{pid}.graphml": graphml(network_map, names.get(pid, "ego"))
            for pid, network_map in maps.items()
        }
    )
