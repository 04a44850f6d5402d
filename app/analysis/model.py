"""The network map: contacts, who-knows-whom ties and commitments.

``parse_map`` is the front door for untrusted JSON (API, CLI, imports): it
checks everything, collects every problem as ``path: problem`` (e.g.
``contacts[3].closeness: must be between 1 and 5``) and raises them together.
The pydantic models carry the same basic limits so that maps loaded from
trusted storage with ``NetworkMap.model_validate`` stay well-formed too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.analysis.program import Program

MAX_CONTACTS = 250
MAX_LABEL = 40
MAX_COMMITMENTS = 3
MAX_ID = 64
MAX_FREE_TEXT = 100
MAX_COMMITMENT_TEXT = 300

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
# No one on a map was last seen before this; earlier months are typing slips (0000-01).
EARLIEST_MONTH = "1950-01"

# Fields a participant must fill in before submitting: the measures need them.
REQUIRED_WHEN_SUBMITTED: tuple[str, ...] = (
    "purpose",
    "origin",
    "organization",
    "closeness",
    "last_contact",
)
_OPTION_FIELDS: dict[str, str] = {
    "purpose": "purposes",
    "origin": "origins",
    "organization": "organizations",
}
_MULTI_OPTION_FIELDS: dict[str, str] = {"roles": "roles", "qualities": "qualities"}
_BOOLEAN_FIELDS: tuple[str, ...] = ("i_helped", "they_helped", "introduced")


class MapValidationError(ValueError):
    """A rejected map; ``errors`` holds one ``path: problem`` line per problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


class _MapModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Contact(_MapModel):
    """One person in the map (a "name interpreter" row in ego-network terms)."""

    id: Annotated[str, Field(min_length=1, max_length=MAX_ID)]
    # Empty only in a draft: a card with answers and no nickname yet is kept, not dropped.
    label: Annotated[str, Field(max_length=MAX_LABEL)]
    purpose: str | None = None
    roles: list[str] = Field(default_factory=list)
    origin: str | None = None
    organization: str | None = None
    function: Annotated[str, Field(max_length=MAX_FREE_TEXT)] | None = None
    industry: Annotated[str, Field(max_length=MAX_FREE_TEXT)] | None = None
    qualities: list[str] = Field(default_factory=list)
    closeness: Annotated[int, Field(ge=1, le=5)] | None = None
    last_contact: Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] | None = None
    i_helped: bool = False
    they_helped: bool = False
    introduced: bool = False


class Commitment(_MapModel):
    """A plan made at the end of a session, optionally about one contact."""

    text: Annotated[str, Field(min_length=1, max_length=MAX_COMMITMENT_TEXT)]
    contact: str | None = None


class NetworkMap(_MapModel):
    """A participant's map, in the JSON interchange format of DESIGN.md."""

    contacts: list[Contact] = Field(default_factory=list, max_length=MAX_CONTACTS)
    ties: list[tuple[str, str]] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list, max_length=MAX_COMMITMENTS)

    def contact(self, contact_id: str) -> Contact | None:
        for contact in self.contacts:
            if contact.id == contact_id:
                return contact
        return None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class ParsedMap:
    """A valid map plus the repairs made while reading it (dropped ties...)."""

    map: NetworkMap
    warnings: list[str] = field(default_factory=list)


_CONTACT_FIELDS = frozenset(Contact.model_fields)


def empty_map() -> NetworkMap:
    return NetworkMap()


def parse_map(
    data: Any,
    program: Program | None = None,
    *,
    draft: bool = False,
    latest_month: str | None = None,
) -> ParsedMap:
    """Validate map JSON and return the map with warnings, or raise MapValidationError.

    With a ``program`` the option ids are checked against its lists and its
    limits apply; without one any id-like value is accepted and the default
    limits (250 contacts, 40-character labels, 3 commitments) apply. A
    ``draft`` may leave out the fields listed in REQUIRED_WHEN_SUBMITTED and the
    label. ``last_contact`` must lie between EARLIEST_MONTH and ``latest_month``
    (the session's month, "YYYY-MM") when one is given.

    Self-ties and duplicate ties (in either order) are dropped with a warning;
    a tie naming an unknown contact id is an error.
    """
    errors: list[str] = []
    warnings: list[str] = []
    if not isinstance(data, dict):
        raise MapValidationError(["map: must be a JSON object with contacts, ties, commitments"])
    for key in data:
        if key not in ("contacts", "ties", "commitments"):
            errors.append(f"{key}: unknown field")
    max_contacts, max_label, max_commitments = _limits(program)

    bounds = (EARLIEST_MONTH, latest_month or "9999-12")
    contacts = _parse_contacts(
        data.get("contacts", []), program, draft, max_label, bounds, errors
    )
    if contacts is not None and len(contacts) > max_contacts:
        errors.append(f"contacts: at most {max_contacts} contacts, got {len(contacts)}")
    known_ids = {contact["id"] for contact in contacts or [] if isinstance(contact.get("id"), str)}
    ties = _parse_ties(data.get("ties", []), known_ids, errors, warnings)
    commitments = _parse_commitments(
        data.get("commitments", []), known_ids, max_commitments, errors
    )
    if errors:
        raise MapValidationError(errors)
    parsed = NetworkMap.model_validate(
        {"contacts": contacts, "ties": ties, "commitments": commitments}
    )
    return ParsedMap(map=parsed, warnings=warnings)


def _limits(program: Program | None) -> tuple[int, int, int]:
    if program is None:
        return MAX_CONTACTS, MAX_LABEL, MAX_COMMITMENTS
    limits = program.exercise.limits
    return limits.max_contacts, limits.max_label, limits.max_commitments


def _parse_contacts(
    raw: Any,
    program: Program | None,
    draft: bool,
    max_label: int,
    bounds: tuple[str, str],
    errors: list[str],
) -> list[dict[str, Any]] | None:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append("contacts: must be a list")
        return None
    contacts = []
    seen_ids: dict[str, int] = {}
    allowed = _allowed_options(program)
    for index, item in enumerate(raw):
        path = f"contacts[{index}]"
        if not isinstance(item, dict):
            errors.append(f"{path}: must be an object")
            continue
        contact = _parse_contact(item, path, program, allowed, draft, max_label, bounds, errors)
        contact_id = contact.get("id")
        if isinstance(contact_id, str):
            if contact_id in seen_ids:
                errors.append(
                    f"{path}.id: duplicate id {contact_id!r} "
                    f"(also contacts[{seen_ids[contact_id]}])"
                )
            else:
                seen_ids[contact_id] = index
        contacts.append(contact)
    return contacts


def _parse_contact(
    item: dict[str, Any],
    path: str,
    program: Program | None,
    allowed: dict[str, frozenset[str]] | None,
    draft: bool,
    max_label: int,
    bounds: tuple[str, str],
    errors: list[str],
) -> dict[str, Any]:
    for key in item:
        if key not in _CONTACT_FIELDS:
            errors.append(f"{path}.{key}: unknown field")
    contact: dict[str, Any] = {}

    contact["id"] = _text(item.get("id"), f"{path}.id", MAX_ID, errors, required=True)
    label_path = f"{path}.label"
    contact["label"] = _text(item.get("label"), label_path, max_label, errors, required=not draft)
    if contact["label"] is None:  # a draft's card without a nickname yet (or an error above)
        contact["label"] = ""
    for name in ("function", "industry"):
        value = _text(item.get(name), f"{path}.{name}", MAX_FREE_TEXT, errors, required=False)
        contact[name] = value or None

    for name, list_name in _OPTION_FIELDS.items():
        value = item.get(name)
        if value is None or value == "":
            contact[name] = None
        elif not isinstance(value, str):
            errors.append(f"{path}.{name}: must be text")
        else:
            if allowed is None or value not in allowed[list_name]:
                _check_option(value, list_name, program, f"{path}.{name}", errors)
            contact[name] = value

    for name, list_name in _MULTI_OPTION_FIELDS.items():
        value = item.get(name)
        if value is None:
            contact[name] = []
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(f"{path}.{name}: must be a list of ids")
        else:
            for position, option_id in enumerate(value):
                if allowed is None or option_id not in allowed[list_name]:
                    _check_option(
                        option_id, list_name, program, f"{path}.{name}[{position}]", errors
                    )
            contact[name] = list(dict.fromkeys(value))  # repeated ids carry no meaning

    closeness = item.get("closeness")
    if closeness is None:
        contact["closeness"] = None
    elif isinstance(closeness, bool) or not isinstance(closeness, int):
        errors.append(f"{path}.closeness: must be a whole number between 1 and 5")
    elif not 1 <= closeness <= 5:
        errors.append(f"{path}.closeness: must be between 1 and 5")
    else:
        contact["closeness"] = closeness

    last_contact = item.get("last_contact")
    if last_contact is None or last_contact == "":
        contact["last_contact"] = None
    elif not isinstance(last_contact, str) or not _is_month(last_contact):
        errors.append(f"{path}.last_contact: must be a month written YYYY-MM, e.g. 2025-09")
    elif not bounds[0] <= last_contact <= bounds[1]:
        errors.append(f"{path}.last_contact: must be between {bounds[0]} and {bounds[1]}")
    else:
        contact["last_contact"] = last_contact

    for name in _BOOLEAN_FIELDS:
        value = item.get(name)
        if value is None:
            contact[name] = False
        elif not isinstance(value, bool):
            errors.append(f"{path}.{name}: must be true or false")
        else:
            contact[name] = value

    if not draft:
        for name in REQUIRED_WHEN_SUBMITTED:
            if item.get(name) in (None, ""):
                errors.append(f"{path}.{name}: required before submitting")
    return contact


_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _text(
    value: Any, path: str, max_length: int, errors: list[str], *, required: bool
) -> str | None:
    if value is None:
        if required:
            errors.append(f"{path}: required")
        return None
    if not isinstance(value, str):
        errors.append(f"{path}: must be text")
        return None
    if _CONTROL_CHARACTERS.search(value):
        # NUL cannot be stored in PostgreSQL text, and the others are never meant.
        errors.append(f"{path}: must not contain control characters")
        return None
    text: str = value.strip()
    if required and not text:
        errors.append(f"{path}: must not be empty")
        return None
    if len(text) > max_length:
        errors.append(f"{path}: at most {max_length} characters, got {len(text)}")
        return None
    return text


def _allowed_options(program: Program | None) -> dict[str, frozenset[str]] | None:
    """The option ids of each list the contact fields use, to test membership without
    building a message (None without a program: _check_option decides)."""
    if program is None:
        return None
    names = {*_OPTION_FIELDS.values(), *_MULTI_OPTION_FIELDS.values()}
    return {name: frozenset(program.option_ids(name)) for name in names}


def _check_option(
    value: str, list_name: str, program: Program | None, path: str, errors: list[str]
) -> None:
    if program is None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
            errors.append(f"{path}: {value!r} is not a valid option id")
        return
    allowed = program.option_ids(list_name)
    if value not in allowed:
        errors.append(f"{path}: {value!r} is not one of {', '.join(allowed)}")


def _is_month(value: str) -> bool:
    match = MONTH_PATTERN.match(value)
    return match is not None and 1 <= int(match.group(2)) <= 12


def _parse_ties(
    raw: Any, known_ids: set[str], errors: list[str], warnings: list[str]
) -> list[tuple[str, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append("ties: must be a list of [id, id] pairs")
        return []
    ties: list[tuple[str, str]] = []
    seen: dict[frozenset[str], int] = {}
    for index, pair in enumerate(raw):
        path = f"ties[{index}]"
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(end, str) for end in pair)
        ):
            errors.append(f"{path}: must be a pair of contact ids")
            continue
        first, second = pair
        unknown = [end for end in (first, second) if end not in known_ids]
        if unknown:
            names = " and ".join(repr(end) for end in dict.fromkeys(unknown))
            errors.append(f"{path}: unknown contact id {names}")
            continue
        if first == second:
            warnings.append(f"{path}: self-tie on {first!r} dropped")
            continue
        key = frozenset((first, second))
        if key in seen:
            warnings.append(f"{path}: duplicate of ties[{seen[key]}] dropped")
            continue
        seen[key] = index
        ties.append((first, second))
    return ties


def _parse_commitments(
    raw: Any, known_ids: set[str], max_commitments: int, errors: list[str]
) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append("commitments: must be a list")
        return []
    if len(raw) > max_commitments:
        errors.append(f"commitments: at most {max_commitments}, got {len(raw)}")
    commitments = []
    for index, item in enumerate(raw):
        path = f"commitments[{index}]"
        if not isinstance(item, dict):
            errors.append(f"{path}: must be an object with text and contact")
            continue
        for key in item:
            if key not in ("text", "contact"):
                errors.append(f"{path}.{key}: unknown field")
        text = _text(item.get("text"), f"{path}.text", MAX_COMMITMENT_TEXT, errors, required=True)
        contact = item.get("contact")
        if contact in (None, ""):
            contact = None
        elif not isinstance(contact, str):
            errors.append(f"{path}.contact: must be a contact id")
            contact = None
        elif contact not in known_ids:
            errors.append(f"{path}.contact: unknown contact id {contact!r}")
            contact = None
        commitments.append({"text": text, "contact": contact})
    return commitments
