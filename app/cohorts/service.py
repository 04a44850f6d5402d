"""Cohorts, rosters, sessions and personal links."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analysis import Program, ProgramError, list_programs, load_program, programs_dir
from app.cohorts.models import Cohort, CohortSession, Invitation, Participant
from app.cohorts.schemas import CohortFile, ParticipantIn
from app.config import Settings
from app.facilitators.models import Facilitator
from app.security import link_token, new_nonce, sha256_hex

ROSTER_COLUMNS = ("name", "email", "organization", "function", "industry", "language")


class CohortError(ValueError):
    """Invalid cohort input. `errors` lists every problem, each naming its place."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def _pydantic_errors(exc: ValidationError, prefix: str) -> list[str]:
    messages = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        messages.append(f"{prefix}{where}: {error['msg']}")
    return messages


# --- programs -------------------------------------------------------------------------


def available_programs() -> list[tuple[str, Program]]:
    return list_programs(programs_dir())


def program_by_id(program_id: str) -> Program:
    path = programs_dir() / f"{program_id}.yaml"
    if "/" in program_id or "\\" in program_id or not path.is_file():
        known = ", ".join(pid for pid, _ in available_programs())
        raise CohortError([f"program: unknown program {program_id!r} (known: {known})"])
    return load_program(path)


def cohort_program(cohort: Cohort) -> Program:
    return Program.model_validate(cohort.program)


# --- rosters --------------------------------------------------------------------------


def parse_roster_csv(text: str) -> list[ParticipantIn]:
    """Parse a roster CSV (header: name,email[,organization,function,industry,language]).

    Every bad row is reported, and nothing is returned unless all rows are good.
    """
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [column for column in ("name", "email") if column not in header]
    if missing:
        raise CohortError([f"header: missing column {', '.join(missing)}"])
    unknown = [h for h in header if h and h not in ROSTER_COLUMNS]
    if unknown:
        raise CohortError([f"header: unknown column {', '.join(unknown)}"])
    rows: list[ParticipantIn] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line_number, raw in enumerate(reader, start=2):
        values = {
            (key or "").strip().lower(): (value or "").strip()
            for key, value in raw.items()
            if key is not None
        }
        if not any(values.values()):
            continue  # blank line
        data: dict[str, Any] = {k: v for k, v in values.items() if k in ROSTER_COLUMNS}
        if not data.get("language"):
            data.pop("language", None)
        try:
            row = ParticipantIn.model_validate(data)
        except ValidationError as exc:
            errors.extend(_pydantic_errors(exc, f"row {line_number}, "))
            continue
        if row.email in seen:
            errors.append(
                f"row {line_number}, email: {row.email} repeats row {seen[row.email]}"
            )
            continue
        seen[row.email] = line_number
        rows.append(row)
    if errors:
        raise CohortError(errors)
    if not rows:
        raise CohortError(["roster: no participants found"])
    return rows


def add_participants(
    db: Session, settings: Settings, cohort: Cohort, rows: Iterable[ParticipantIn]
) -> list[Participant]:
    """Add participants all-or-nothing; an email already in the cohort is an error."""
    existing = {p.email.lower() for p in cohort.participants}
    rows = list(rows)
    clashes = [row.email for row in rows if row.email in existing]
    if clashes:
        raise CohortError([f"email: {email} is already in this cohort" for email in clashes])
    added = [Participant(cohort=cohort, **row.model_dump()) for row in rows]
    db.add_all(added)
    db.flush()
    for cohort_session in cohort.sessions:
        if cohort_session.status == "open":
            for participant in added:
                db.add(new_invitation(settings, cohort_session, participant))
    db.flush()
    return added


# --- cohorts --------------------------------------------------------------------------


def create_cohort(
    db: Session,
    *,
    name: str,
    program_id: str,
    language: str,
    facilitators: Sequence[Facilitator],
) -> Cohort:
    name = name.strip()
    if not name:
        raise CohortError(["name: must not be empty"])
    if language not in ("en", "it"):
        raise CohortError([f"language: must be 'en' or 'it', not {language!r}"])
    program = program_by_id(program_id)
    cohort = Cohort(
        name=name[:200],
        program_id=program_id,
        program=program.model_dump(mode="json"),
        language=language,
        facilitators=list(facilitators),
    )
    db.add(cohort)
    db.flush()
    return cohort


def load_cohort_file(path: Path) -> tuple[CohortFile, list[ParticipantIn]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CohortError([f"{path}: cannot read ({exc})"]) from exc
    except yaml.YAMLError as exc:
        raise CohortError([f"{path}: not valid YAML ({exc})"]) from exc
    try:
        spec = CohortFile.model_validate(raw)
    except ValidationError as exc:
        raise CohortError(_pydantic_errors(exc, f"{path}: ")) from exc
    participants = list(spec.participants)
    if spec.roster:
        roster_path = (path.parent / spec.roster).resolve()
        try:
            roster_text = roster_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CohortError([f"{path}: roster: cannot read {roster_path} ({exc})"]) from exc
        try:
            participants.extend(parse_roster_csv(roster_text))
        except CohortError as exc:
            raise CohortError([f"{roster_path}: {e}" for e in exc.errors]) from exc
    return spec, participants


def import_cohort_file(
    db: Session, settings: Settings, path: Path, *, extra_facilitators: Sequence[Facilitator] = ()
) -> Cohort:
    from app.facilitators.service import get_by_email

    spec, participants = load_cohort_file(path)
    facilitators = list(extra_facilitators)
    errors = []
    for email in spec.facilitators:
        found = get_by_email(db, email)
        if found is None:
            errors.append(f"{path}: facilitators: no facilitator with email {email}")
        elif found not in facilitators:
            facilitators.append(found)
    if errors:
        raise CohortError(errors)
    if not facilitators:
        raise CohortError([f"{path}: facilitators: at least one facilitator is needed"])
    try:
        cohort = create_cohort(
            db, name=spec.name, program_id=spec.program, language=spec.language,
            facilitators=facilitators,
        )
    except ProgramError as exc:
        raise CohortError([str(exc)]) from exc
    add_participants(db, settings, cohort, participants)
    return cohort


def cohorts_for(db: Session, facilitator: Facilitator) -> list[Cohort]:
    return list(
        db.scalars(
            select(Cohort)
            .where(Cohort.facilitators.any(Facilitator.id == facilitator.id))
            .order_by(Cohort.created_at.desc())
        )
    )


# --- sessions and links ---------------------------------------------------------------


def default_deadline(opens_on: date, days: int = 7) -> datetime:
    return datetime.combine(opens_on + timedelta(days=days), time(23, 59), tzinfo=UTC)


def open_session(
    db: Session,
    settings: Settings,
    cohort: Cohort,
    *,
    deadline: datetime,
    opens_on: date | None = None,
    number: int | None = None,
) -> CohortSession:
    """Open the next session of the program (or `number`), with one link per participant."""
    program = cohort_program(cohort)
    taken = {s.number for s in cohort.sessions}
    if number is None:
        number = max(taken, default=0) + 1
    if number in taken:
        raise CohortError([f"number: session {number} is already open"])
    if not 1 <= number <= len(program.sessions):
        raise CohortError(
            [f"number: the program has sessions 1 to {len(program.sessions)}, not {number}"]
        )
    opens_on = opens_on or datetime.now(UTC).date()
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=UTC)
    if deadline.date() < opens_on:
        raise CohortError(["deadline: must not be before the opening date"])
    topic = program.sessions[number - 1]
    title = topic.title.get(cohort.language) or topic.title.get("en") or f"Session {number}"
    cohort_session = CohortSession(
        cohort=cohort, number=number, title=title[:200], opens_on=opens_on, deadline=deadline
    )
    db.add(cohort_session)
    for participant in cohort.participants:
        db.add(new_invitation(settings, cohort_session, participant))
    db.flush()
    return cohort_session


def new_invitation(
    settings: Settings, cohort_session: CohortSession, participant: Participant
) -> Invitation:
    nonce = new_nonce()
    return Invitation(
        session=cohort_session,
        participant=participant,
        token_nonce=nonce,
        token_hash=sha256_hex(link_token(settings.key, nonce)),
    )


def invitation_token(settings: Settings, invitation: Invitation) -> str:
    return link_token(settings.key, invitation.token_nonce)


def invitation_link(settings: Settings, invitation: Invitation) -> str:
    return f"{settings.base_url}/p/{invitation_token(settings, invitation)}"


def find_invitation(db: Session, token: str) -> Invitation | None:
    """The invitation for a link token, or None (unknown, malformed or revoked)."""
    if not token or len(token) > 128:
        return None
    invitation = db.scalar(select(Invitation).where(Invitation.token_hash == sha256_hex(token)))
    if invitation is None or invitation.revoked_at is not None:
        return None
    return invitation


def revoke_invitation(invitation: Invitation) -> None:
    invitation.revoked_at = datetime.now(UTC)


def reissue_invitation(settings: Settings, invitation: Invitation) -> str:
    """Replace the link: the old one stops working at once. Returns the new link."""
    nonce = new_nonce()
    invitation.token_nonce = nonce
    invitation.token_hash = sha256_hex(link_token(settings.key, nonce))
    invitation.revoked_at = None
    invitation.email_status = "not_sent"
    invitation.email_error = None
    return invitation_link(settings, invitation)
