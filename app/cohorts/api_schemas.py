"""Request and response shapes of the facilitator API (/api/v1/cohorts, /api/v1/sessions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    NaiveDatetime,
    field_validator,
)

from app.cohorts.schemas import ParticipantIn
from app.facilitators.schemas import FacilitatorOut

__all__ = ["FacilitatorOut", "ParticipantIn"]


def _utc(value: datetime | None) -> datetime | None:
    """Stored times are UTC; SQLite returns them without an offset."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class ErrorMessage(BaseModel):
    model_config = _examples({"detail": "cohort 42: not found"})

    detail: str


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


class SessionBrief(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [{
            "id": 3, "number": 2, "title": "Your network: a first map", "status": "open",
            "opens_on": "2026-03-02", "deadline": "2026-03-09T23:59:00Z",
        }]},
    )

    id: int
    number: int
    title: str
    status: Literal["open", "closed"]
    opens_on: date
    deadline: UtcDatetime


class CohortOut(BaseModel):
    model_config = _examples({
        "id": 1, "name": "Leadership Programme, Autumn cohort",
        "program_id": "leadership-8-month",
        "program_name": "Leading with your network: an eight-month leadership course",
        "language": "en", "created_at": "2026-02-20T09:00:00Z", "participant_count": 8,
        "program_sessions": 8, "next_session_number": 3,
        "facilitators": [{"id": 1, "email": "anna@example.org", "name": "Anna Bianchi"}],
        "sessions": [],
    })

    id: int
    name: str
    program_id: str
    program_name: str
    language: Literal["en", "it"]
    created_at: UtcDatetime
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
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=500)


class ImportResult(BaseModel):
    model_config = _examples({"added": 1, "participants": [PARTICIPANT_EXAMPLE]})

    added: int
    participants: list[RosterEntry]


class CoFacilitatorIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"email": "tom.okafor@example.org"}]})

    email: EmailStr = Field(max_length=254)


class SessionOpen(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"deadline": "2026-03-09T23:59:00Z"}, {}]})

    deadline: AwareDatetime | NaiveDatetime | None = Field(
        default=None, description="When maps are due (UTC if no offset); default: 7 days on."
    )
    opens_on: date | None = Field(
        default=None, description="Default: today; at most about a year away from today."
    )

    @field_validator("opens_on")
    @classmethod
    def _near_today(cls, value: date | None) -> date | None:
        if value is not None and abs(value - datetime.now(UTC).date()) > timedelta(days=400):
            raise ValueError("must be within about a year of today")
        return value


class SessionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"deadline": "2026-03-12T23:59:00Z"}, {"status": "closed"}]})

    deadline: AwareDatetime | NaiveDatetime | None = None
    status: Literal["open", "closed"] | None = Field(
        default=None, description="A closed session takes no more changes to maps."
    )


Status = Literal["submitted", "draft", "opened", "not_opened", "revoked"]
EmailStatus = Literal["not_sent", "sent", "failed"]


class ProgressCounts(BaseModel):
    model_config = _examples({"invited": 8, "submitted": 5, "draft": 1, "opened": 1,
                              "not_opened": 1, "revoked": 0})

    invited: int
    submitted: int
    draft: int
    opened: int
    not_opened: int
    revoked: int


class ParticipantProgress(BaseModel):
    participant_id: int
    invitation_id: int
    name: str
    status: Status
    email_status: EmailStatus
    email_error: str | None
    submitted_at: UtcDatetime | None
    updated_at: UtcDatetime | None


class SessionDetail(SessionBrief):
    model_config = _examples({
        "id": 3, "cohort_id": 1, "cohort_name": "Leadership Programme, Autumn cohort",
        "number": 2, "program_sessions": 8, "title": "Your network: a first map",
        "status": "open", "opens_on": "2026-03-02", "deadline": "2026-03-09T23:59:00Z",
        "deadline_passed": False,
        "progress": {"invited": 2, "submitted": 1, "draft": 0, "opened": 0, "not_opened": 1,
                     "revoked": 0},
        "participants": [{
            "participant_id": 7, "invitation_id": 21, "name": "Elena Bianchi",
            "status": "submitted", "email_status": "sent", "email_error": None,
            "submitted_at": "2026-03-04T18:12:00Z", "updated_at": "2026-03-04T18:12:00Z",
        }],
    })

    cohort_id: int
    cohort_name: str
    program_sessions: int
    deadline_passed: bool
    progress: ProgressCounts
    participants: list[ParticipantProgress]


class LinkOut(BaseModel):
    model_config = _examples({
        "invitation_id": 21, "participant_id": 7, "name": "Elena Bianchi",
        "email": "elena.bianchi@example.com", "status": "not_opened",
        "link": "https://wellspring.example.org/p/3q2-7Jd0…", "email_status": "failed",
        "email_error": "recipient refused: 550 mailbox unavailable", "emailed_at": None,
    })

    invitation_id: int
    participant_id: int
    name: str
    email: str
    status: Status
    link: str | None = Field(description="The personal link; null while revoked.")
    email_status: EmailStatus
    email_error: str | None
    emailed_at: UtcDatetime | None


class SendOutcome(BaseModel):
    invitation_id: int
    participant_id: int
    email_status: EmailStatus
    email_error: str | None


class SendResult(BaseModel):
    model_config = _examples({
        "sent": 7, "failed": 1, "skipped": 0,
        "results": [{"invitation_id": 21, "participant_id": 7, "email_status": "failed",
                     "email_error": "recipient refused: 550 mailbox unavailable"}],
    })

    sent: int
    failed: int
    skipped: int = Field(description="Revoked links, which are never emailed.")
    results: list[SendOutcome]


class SendLinksIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"resend": False}]})

    resend: bool = Field(
        default=False, description="Also email those whose link was already sent."
    )


class DistributionOut(BaseModel):
    n: int
    min: float
    q1: float
    median: float
    q3: float
    max: float


class GapShare(BaseModel):
    id: str
    title: str
    count: int | None = Field(description="null when fewer than min_group participants.")
    share: float | None


class PurposeMixOut(BaseModel):
    contacts: int | None
    company: float | None
    growth: float | None
    both: float | None


class ParticipationOut(BaseModel):
    invited: int
    opened: int
    drafted: int
    submitted: int


class CohortChangeOut(BaseModel):
    compared: int
    median_deltas: dict[str, float | None]
    commitments_kept: int | None
    commitments_checked: int | None
    dormant_reconnected: int | None


class GroupOut(BaseModel):
    """The group analysis: figures about fewer than `min_group` people are null."""

    model_config = _examples({
        "participation": {"invited": 8, "opened": 7, "drafted": 1, "submitted": 5},
        "min_group": 3, "suppressed": False,
        "distributions": {"size": {"n": 5, "min": 9, "q1": 11, "median": 12, "q3": 14,
                                   "max": 16}},
        "gap_prevalence": [{"id": "dormant_ties", "title": "Dormant ties", "count": 4,
                            "share": 0.8}],
        "purpose_mix": {"contacts": 62, "company": 0.4, "growth": 0.35, "both": 0.25},
        "change": None,
    })

    participation: ParticipationOut
    min_group: int
    suppressed: bool
    distributions: dict[str, DistributionOut | None]
    gap_prevalence: list[GapShare]
    purpose_mix: PurposeMixOut
    change: CohortChangeOut | None
