"""Input and output shapes for cohorts, rosters and sessions."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator


class ParticipantIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    organization: str | None = Field(default=None, max_length=200)
    function: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=200)
    language: Literal["en", "it"] | None = None

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()

    @field_validator("organization", "function", "industry", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class CohortFile(BaseModel):
    """A cohort described in YAML (see cohorts/example/)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    program: str = "leadership-8-month"
    language: Literal["en", "it"] = "en"
    facilitators: list[EmailStr] = Field(default_factory=list)
    roster: str | None = None  # a CSV path, relative to the YAML file
    participants: list[ParticipantIn] = Field(default_factory=list)
