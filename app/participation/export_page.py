"""The participant's export as a page a person can read: every session's map, in words.

The same data as the JSON download (privacy.export_data), with the program's labels
in place of option ids. Participant text is passed through as plain strings: the
template escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.analysis import Program
from app.core.i18n import translate

LIST_FIELDS = {"purpose": "purposes", "origin": "origins", "organization": "organizations"}
MULTI_FIELDS = {"roles": "roles", "qualities": "qualities"}
TEXT_FIELDS = ("function", "industry", "closeness", "last_contact")
HABITS = ("i_helped", "they_helped", "introduced")
# The order of a person's details on the page, as on the form.
DETAIL_ORDER = ("purpose", "organization", "origin", "closeness", "last_contact", "roles",
                "function", "industry", "qualities")


@dataclass
class PersonView:
    label: str
    details: list[tuple[str, str]]
    knows: list[str]


@dataclass
class SessionMapView:
    number: int
    title: str
    status: str
    submitted_at: Any
    updated_at: Any
    people: list[PersonView]
    commitments: list[tuple[str, str]]
    review: list[str] = field(default_factory=list)


def _field_labels(program: Program, lang: str) -> dict[str, str]:
    return {
        name: item.label.get(lang) or item.label["en"]
        for name, item in program.exercise.fields.items()
    }


def person_view(contact: dict[str, Any], names: dict[str, str], knows: list[str],
                program: Program, labels: dict[str, str], lang: str) -> PersonView:
    details: list[tuple[str, str]] = []
    for name in DETAIL_ORDER:
        value = contact.get(name)
        if name in LIST_FIELDS and value:
            text = program.label(LIST_FIELDS[name], str(value), lang)
        elif name in MULTI_FIELDS and value:
            text = ", ".join(program.label(MULTI_FIELDS[name], str(item), lang) for item in value)
        elif name in TEXT_FIELDS and value not in (None, ""):
            text = str(value)
        else:
            continue
        details.append((labels.get(name, name), text))
    habits = [labels.get(name, name) for name in HABITS if contact.get(name)]
    if habits:
        details.append((translate("In the last six months", lang), ", ".join(habits)))
    label = str(contact.get("label") or "") or translate("(no name yet)", lang)
    return PersonView(label=label, details=details,
                      knows=[names[other] for other in knows if other in names])


def session_map_view(row: dict[str, Any], program: Program, lang: str) -> SessionMapView:
    data = row.get("map") or {}
    contacts = data.get("contacts", [])
    names = {c["id"]: str(c.get("label") or "") or translate("(no name yet)", lang)
             for c in contacts}
    knows: dict[str, list[str]] = {}
    for first, second in data.get("ties", []):
        knows.setdefault(first, []).append(second)
        knows.setdefault(second, []).append(first)
    labels = _field_labels(program, lang)
    people = [person_view(c, names, knows.get(c["id"], []), program, labels, lang)
              for c in contacts]
    commitments = [(str(item.get("text") or ""), names.get(item.get("contact") or "", ""))
                   for item in data.get("commitments", [])]
    answers = {True: translate("Kept", lang), False: translate("Not kept", lang),
               None: translate("Not sure", lang)}
    review = [
        f"{item.get('text', '')}: {answers.get(item.get('kept'), answers[None])}"
        for item in row.get("commitment_review") or []
        if isinstance(item, dict)
    ]
    return SessionMapView(
        number=row["session_number"], title=row["session_title"], status=row["status"],
        submitted_at=row.get("submitted_at"), updated_at=row.get("updated_at"),
        people=people, commitments=commitments, review=review,
    )


def export_view(data: dict[str, Any], program: Program, lang: str) -> dict[str, Any]:
    """The page's context: the participant's details and one map per session, newest first."""
    sessions = [session_map_view(row, program, lang) for row in data["submissions"]]
    sessions.sort(key=lambda view: view.number, reverse=True)
    return {
        "me": data["participant"],
        "cohort_name": data["cohort"]["name"],
        "sessions": sessions,
        "exported_at": data["exported_at"],
    }
