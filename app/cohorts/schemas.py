"""Request and response shapes for cohorts and rosters (/api/v1/cohorts)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from app.core.schemas import examples
from app.facilitators.schemas import FacilitatorOut
from app.sessions.schemas import SessionBrief

# Invisible characters that reorder text: allowed nowhere in names, to stop spoofing.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def clean_text(value: str | None) -> str | None:
    """Refuse control characters (NUL, newlines, tabs), bidirectional overrides and lone
    surrogates (which no database can store)."""
    if value is None:
        return None
    for char in value:
        if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            raise ValueError(f"must not contain the control character U+{ord(char):04X}")
    return value


class ParticipantIn(BaseModel):
    model_config = ConfigDict(
        str_strip_whitespace=True,
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Elena Bianchi",
                    "email": "elena.bianchi@example.com",
                    "organization": "Banca Ligure",
                    "function": "Legal",
                    "industry": "Banking and Insurance",
                    "language": "it",
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr = Field(max_length=254)
    organization: str | None = Field(default=None, max_length=200)
    function: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=200)
    language: Literal["en", "it"] | None = Field(
        default=None, description="The participant's language for emails; default: the cohort's."
    )

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()

    @field_validator("organization", "function", "industry", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("name", "organization", "function", "industry")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return clean_text(value)


class ParticipantPatch(BaseModel):
    """Only the fields sent are changed; send null to clear an optional field."""

    model_config = ConfigDict(
        str_strip_whitespace=True,
        extra="forbid",
        json_schema_extra={"examples": [{"organization": "Banca Ligure", "language": "en"}]},
    )

    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = Field(default=None, max_length=254)
    organization: str | None = Field(default=None, max_length=200)
    function: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=200)
    language: Literal["en", "it"] | None = None

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value else value

    @field_validator("name", "organization", "function", "industry")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return clean_text(value)


class CohortFile(BaseModel):
    """A cohort described in YAML (see cohorts/example/example-cohort.yaml)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    program: str = "leadership-8-month"
    language: Literal["en", "it"] = "en"
    time_zone: str | None = Field(default=None, max_length=64)
    start: date | None = None
    facilitators: list[EmailStr] = Field(default_factory=list)
    # Either a roster CSV path (relative to the YAML file) or an inline list.
    participants: str | list[ParticipantIn] = Field(default_factory=list)
    roster: str | None = None  # older spelling of `participants: FILE.csv`

    @field_validator("name")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value) or value

    @property
    def participant_list(self) -> list[ParticipantIn]:
        return [] if isinstance(self.participants, str) else list(self.participants)

    @property
    def roster_paths(self) -> list[str]:
        paths = [self.participants] if isinstance(self.participants, str) else []
        return paths + ([self.roster] if self.roster else [])


# --- the API's shapes -------------------------------------------------------------------

PARTICIPANT_EXAMPLE: dict[str, Any] = {
    "id": 7, "name": "Elena Bianchi", "email": "elena.bianchi@example.com",
    "organization": "Banca Ligure", "function": "Legal",
    "industry": "Banking and Insurance", "language": None,
}


class RosterEntry(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [PARTICIPANT_EXAMPLE]}
    )

    id: int
    name: str
    email: str
    organization: str | None
    function: str | None
    industry: str | None
    language: str | None


class CohortOut(BaseModel):
    model_config = examples({
        "id": 1, "name": "Leadership Programme, Autumn cohort",
        "program_id": "leadership-8-month",
        "program_name": "Leading with your network: an eight-month leadership course",
        "language": "en", "time_zone": "Europe/Rome",
        "created_at": "2026-02-20T09:00:00Z", "participant_count": 8,
        "program_sessions": 8, "next_session_number": 3,
        "facilitators": [{"id": 1, "email": "anna@example.org", "name": "Anna Bianchi"}],
        "sessions": [],
    })

    id: int
    name: str
    program_id: str
    program_name: str
    language: Literal["en", "it"]
    time_zone: str = Field(description="IANA time zone: deadlines are shown in it.")
    created_at: datetime
    participant_count: int
    program_sessions: int = Field(description="How many sessions the program has.")
    next_session_number: int | None = Field(
        description="The number the next opened session gets; null when all are open."
    )
    facilitators: list[FacilitatorOut]
    sessions: list[SessionBrief]


class CohortCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "name": "Leadership Programme, Autumn cohort",
            "program_id": "leadership-8-month",
            "language": "en",
            "participants": [{"name": "Elena Bianchi", "email": "elena.bianchi@example.com"}],
        }]},
    )

    name: str = Field(min_length=1, max_length=200)
    program_id: str = Field(
        default="leadership-8-month", max_length=100,
        description="A program file in cohorts/, by name without .yaml.",
    )
    language: Literal["en", "it"] = Field(default="en", description="The reports' language.")
    time_zone: str | None = Field(
        default=None, max_length=64,
        description="IANA name, e.g. Europe/Rome; default: the program's default_time_zone, "
        "else UTC. Deadlines are the end of a day in this zone and are shown in it.",
    )
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=500)


class CohortPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"time_zone": "Europe/Rome"}]})

    time_zone: str = Field(max_length=64, description="IANA name, e.g. Europe/Rome.")


class ImportResult(BaseModel):
    model_config = examples({"added": 1, "updated": 1, "unchanged": 6,
                              "participants": [PARTICIPANT_EXAMPLE],
                              "updated_participants": [PARTICIPANT_EXAMPLE]})

    added: int
    updated: int = 0
    unchanged: int = 0
    participants: list[RosterEntry] = Field(description="The people added.")
    updated_participants: list[RosterEntry] = Field(default_factory=list)


class RowProblemOut(BaseModel):
    row: int | None = Field(description="The file's line (the header is line 1).")
    field: str
    message: str


class FieldChangeOut(BaseModel):
    field: str
    old: str | None
    new: str


class PreviewNew(BaseModel):
    row: int
    name: str
    email: str
    organization: str | None
    function: str | None
    industry: str | None
    language: str | None


class PreviewChanged(BaseModel):
    row: int
    participant_id: int
    name: str
    email: str
    changes: list[FieldChangeOut]


class PreviewUnchanged(BaseModel):
    row: int
    participant_id: int
    name: str
    email: str


class RosterPreview(BaseModel):
    model_config = examples({
        "new": [{"row": 9, "name": "Tom Okafor", "email": "tom@example.org",
                 "organization": None, "function": None, "industry": None, "language": None}],
        "changed": [{"row": 2, "participant_id": 7, "name": "Elena Bianchi",
                     "email": "elena.bianchi@example.com",
                     "changes": [{"field": "organization", "old": "Banca Ligure",
                                  "new": "Banca Adriatica"}]}],
        "unchanged": [], "problems": [{"row": 5, "field": "email",
                                       "message": "a@example.org repeats row 3"}],
        "digest": "9f2c4e0a7d1b3c5e8f6a2b4c6d8e0f1a", "can_apply": False,
    })

    new: list[PreviewNew]
    changed: list[PreviewChanged]
    unchanged: list[PreviewUnchanged]
    problems: list[RowProblemOut]
    digest: str = Field(description="Send it back with the import to be sure it does exactly "
                                    "this: if the roster changed meanwhile, the import gets 409.")
    can_apply: bool = Field(description="False while any row has a problem.")


class CoFacilitatorIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"email": "tom.okafor@example.org"}]})

    email: EmailStr = Field(max_length=254)
