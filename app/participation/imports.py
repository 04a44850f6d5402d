"""Starting a map from a file: a contacts CSV, or LinkedIn's Connections.csv.

The analysis core does the reading and checking; here the kind of file is
recognised and the imported contacts get ids that do not clash with the ones
already in the form. Nothing is saved: the contacts go into the form for review.
"""

from __future__ import annotations

from typing import Any

from app.analysis import MapImportError, import_contacts_csv, import_linkedin_csv
from app.participation.forms import new_contact_id
from app.participation.service import Link

MAX_IMPORT_CHARS = 900_000


class ImportProblem(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def is_linkedin(text: str) -> bool:
    head = text.removeprefix("\ufeff").splitlines()[:12]
    return any(line.lstrip().startswith("First Name") for line in head)


def import_file(text: str, link: Link, *, taken: set[str]) -> list[dict[str, Any]]:
    """The contacts of an uploaded CSV as map JSON, with fresh ids; raises ImportProblem."""
    if not text.strip():
        raise ImportProblem(["file: choose a CSV file to import first"])
    if len(text) > MAX_IMPORT_CHARS:
        raise ImportProblem(["file: too large to import"])
    if "\x00" in text:
        raise ImportProblem(["file: this is not a text (CSV) file"])
    try:
        if is_linkedin(text):
            imported = import_linkedin_csv(text, link.participant.organization, link.program)
        else:
            imported = import_contacts_csv(text, link.program)
    except MapImportError as exc:
        raise ImportProblem(exc.errors) from exc
    contacts = []
    taken = set(taken)
    for contact in imported.model_dump(mode="json")["contacts"]:
        if contact["id"] in taken:
            contact["id"] = new_contact_id(taken)
        taken.add(contact["id"])
        contacts.append(contact)
    return contacts
