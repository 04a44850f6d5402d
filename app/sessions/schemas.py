"""Request and response shapes of the session API (/api/v1/sessions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, NaiveDatetime, field_validator

from app.core.schemas import examples
from app.participation.models import LinkStatus
from app.sessions.models import EmailStatus, SessionStatus


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
    status: SessionStatus
    opens_on: date
    deadline: datetime


class SessionOpen(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"deadline": "2026-03-09T23:59:00Z"}, {}]})

    deadline: AwareDatetime | NaiveDatetime | None = Field(
        default=None, description="When maps are due (UTC if no offset); default: 7 days on."
    )
    opens_on: date | None = Field(
        default=None, description="Default: today; at most about a year away from today."
    )
    number: int | None = Field(
        default=None, ge=1, le=100,
        description="The session you mean to open (default: the next one). Give it, and a "
        "repeated request (a double click, a retry) gets 409 instead of opening another.",
    )
    close_previous: bool = Field(
        default=True,
        description="Close earlier sessions that are still open, so participants hold one "
        "live link. Reversible (PATCH status 'open') until that session's pack is printed.",
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
    status: SessionStatus | None = Field(
        default=None, description="A closed session takes no more changes to maps."
    )


Status = LinkStatus


class ProgressCounts(BaseModel):
    model_config = examples({"invited": 8, "submitted": 5, "draft": 1, "opened": 1,
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
    submitted_at: datetime | None
    updated_at: datetime | None


class SessionDetail(SessionBrief):
    model_config = examples({
        "id": 3, "cohort_id": 1, "cohort_name": "Leadership Programme, Autumn cohort",
        "number": 2, "program_sessions": 8, "title": "Your network: a first map",
        "status": "open", "opens_on": "2026-03-02", "deadline": "2026-03-09T22:59:00Z",
        "time_zone": "Europe/Rome", "deadline_local": "9 Mar 2026, 23:59 CET",
        "pack_printed_at": None, "closed_previous": [1],
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
    time_zone: str = Field(description="The cohort's IANA time zone.")
    deadline_local: str = Field(description="The deadline as shown to participants.")
    pack_printed_at: datetime | None = Field(
        description="When the pack was first downloaded; a closed session then stays closed."
    )
    closed_previous: list[int] = Field(
        default_factory=list, description="On opening: the earlier sessions this closed."
    )
    program_sessions: int
    deadline_passed: bool
    progress: ProgressCounts
    participants: list[ParticipantProgress]


class LinkOut(BaseModel):
    model_config = examples({
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
    emailed_at: datetime | None


class SendOutcome(BaseModel):
    invitation_id: int
    participant_id: int
    email_status: EmailStatus
    email_error: str | None


class SendResult(BaseModel):
    model_config = examples({
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
