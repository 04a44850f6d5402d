"""Input shapes for cohorts and rosters (the API's output shapes are in api_schemas.py)."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

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
