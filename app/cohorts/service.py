"""Cohorts, rosters, co-facilitators and sessions.

Ownership checks live in access.py, personal links in links.py, roster parsing
in roster.py; the names most callers need are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analysis import Program, ProgramError, list_programs, load_program, programs_dir
from app.cohorts.errors import CohortError
from app.cohorts.links import (
    find_invitation,
    invitation_link,
    invitation_token,
    new_invitation,
    reissue_invitation,
    revoke_invitation,
)
from app.cohorts.models import Cohort, CohortSession, Participant
from app.cohorts.roster import ROSTER_COLUMNS, load_cohort_file, parse_roster_csv
from app.cohorts.schemas import ParticipantIn, ParticipantPatch, clean_text
from app.config import Settings
from app.facilitators.models import Facilitator

__all__ = [
    "ROSTER_COLUMNS",
    "CohortError",
    "add_participants",
    "available_programs",
    "cohort_program",
    "cohorts_for",
    "create_cohort",
    "default_deadline",
    "delete_cohort",
    "find_invitation",
    "import_cohort_file",
    "invitation_link",
    "invitation_token",
    "load_cohort_file",
    "new_invitation",
    "open_session",
    "parse_roster_csv",
    "reissue_invitation",
    "revoke_invitation",
]

LANGUAGES = ("en", "it")


# --- programs -------------------------------------------------------------------------


def available_programs() -> list[tuple[str, Program]]:
    return list_programs(programs_dir())


def program_by_id(program_id: str) -> Program:
    path = programs_dir() / f"{program_id}.yaml"
    if not program_id or "/" in program_id or "\\" in program_id or not path.is_file():
        known = ", ".join(pid for pid, _ in available_programs())
        raise CohortError([f"program: unknown program {program_id!r} (known: {known})"])
    try:
        return load_program(path)
    except ProgramError as exc:
        raise CohortError([f"program: {exc}"]) from exc


def cohort_program(cohort: Cohort) -> Program:
    return Program.model_validate(cohort.program)


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
    errors = []
    if not name:
        errors.append("name: must not be empty")
    elif len(name) > 200:
        errors.append("name: at most 200 characters")
    else:
        try:
            clean_text(name)
        except ValueError as exc:
            errors.append(f"name: {exc}")
    if language not in LANGUAGES:
        errors.append(f"language: must be 'en' or 'it', not {language!r}")
    if errors:
        raise CohortError(errors)
    program = program_by_id(program_id)
    cohort = Cohort(
        name=name,
        program_id=program_id,
        program=program.model_dump(mode="json"),
        language=language,
        facilitators=list(facilitators),
    )
    db.add(cohort)
    db.flush()
    return cohort


def create_cohort_with_roster(
    db: Session,
    settings: Settings,
    facilitator: Facilitator,
    *,
    name: str,
    program_id: str,
    language: str,
    roster: Sequence[ParticipantIn] = (),
) -> Cohort:
    """A new cohort and its roster together: either both exist afterwards or neither."""
    cohort = create_cohort(
        db, name=name, program_id=program_id, language=language, facilitators=[facilitator]
    )
    if roster:
        add_participants(db, settings, cohort, roster)
    return cohort


def cohorts_for(db: Session, facilitator: Facilitator) -> list[Cohort]:
    return list(
        db.scalars(
            select(Cohort)
            .where(Cohort.facilitators.any(Facilitator.id == facilitator.id))
            .order_by(Cohort.created_at.desc(), Cohort.id.desc())
        )
    )


def delete_cohort(db: Session, cohort: Cohort) -> None:
    """Erase the cohort and everything under it: participants, sessions, links, maps, PDFs."""
    from app.lifecycle import erase_cohort

    cohort_id = cohort.id
    db.flush()
    erase_cohort(db, cohort_id)


def add_cofacilitator(db: Session, cohort: Cohort, email: str) -> Facilitator:
    from app.facilitators.service import FacilitatorError, get_by_email, normalize_email

    try:
        email = normalize_email(email)
    except FacilitatorError as exc:
        raise CohortError([str(exc)]) from exc
    found = get_by_email(db, email)
    if found is None or not found.is_active:
        raise CohortError(
            [f"email: no facilitator account for {email}; create it first "
             "(wellspring facilitator create)"]
        )
    if found not in cohort.facilitators:
        cohort.facilitators.append(found)
        db.flush()
    return found


def remove_cofacilitator(db: Session, cohort: Cohort, facilitator_id: int) -> None:
    from app.cohorts.access import NotFound

    remaining = [f for f in cohort.facilitators if f.id != facilitator_id]
    if len(remaining) == len(cohort.facilitators):
        raise NotFound(f"facilitator {facilitator_id}: not a facilitator of this cohort")
    if not remaining:
        raise CohortError(["facilitators: a cohort keeps at least one facilitator"])
    cohort.facilitators = remaining
    db.flush()


# --- participants ---------------------------------------------------------------------


def add_participants(
    db: Session, settings: Settings, cohort: Cohort, rows: Iterable[ParticipantIn]
) -> list[Participant]:
    """Add participants all-or-nothing; an email already in the cohort is an error.

    Each newcomer also gets a link for every open session.
    """
    existing = {p.email.lower() for p in cohort.participants}
    rows = list(rows)
    errors = [f"email: {row.email} is already in this cohort" for row in rows
              if row.email in existing]
    seen: set[str] = set()
    for row in rows:
        if row.email in seen:
            errors.append(f"email: {row.email} appears twice")
        seen.add(row.email)
    if errors:
        raise CohortError(errors)
    added = [Participant(cohort=cohort, **row.model_dump()) for row in rows]
    db.add_all(added)
    db.flush()
    for cohort_session in cohort.sessions:
        if cohort_session.status == "open":
            for participant in added:
                db.add(new_invitation(settings, cohort_session, participant))
    db.flush()
    return added


def update_participant(
    db: Session, participant: Participant, changes: ParticipantPatch
) -> Participant:
    values = changes.model_dump(exclude_unset=True)
    for required in ("name", "email"):
        if required in values and values[required] is None:
            raise CohortError([f"{required}: must not be empty"])
    new_email = values.get("email")
    if new_email and new_email != participant.email.lower():
        clash = db.scalar(
            select(Participant.id).where(
                Participant.cohort_id == participant.cohort_id,
                Participant.email == new_email,
                Participant.id != participant.id,
            )
        )
        if clash is not None:
            raise CohortError([f"email: {new_email} is already in this cohort"])
    for key, value in values.items():
        setattr(participant, key, value)
    db.flush()
    return participant


def remove_participant(db: Session, participant: Participant) -> None:
    """Erase a participant: their links, maps and cached PDFs, and group PDFs that counted them."""
    from app.lifecycle import erase_participant

    participant_id = participant.id
    db.flush()
    erase_participant(db, participant_id)


# --- cohort files ---------------------------------------------------------------------


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
    cohort = create_cohort(
        db, name=spec.name, program_id=spec.program, language=spec.language,
        facilitators=facilitators,
    )
    add_participants(db, settings, cohort, participants)
    return cohort


# --- sessions -------------------------------------------------------------------------


MAX_SESSION_DAYS = 366  # a deadline at most this long after the session opens


def utc_deadline(deadline: datetime) -> datetime:
    """The deadline in UTC (naive means UTC already); absurd instants are input errors."""
    if deadline.tzinfo is None:
        return deadline.replace(tzinfo=UTC)
    try:
        return deadline.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise CohortError(["deadline: not a usable date and time"]) from exc


def check_deadline(deadline: datetime, opens_on: date) -> datetime:
    deadline = utc_deadline(deadline)
    if deadline.date() < opens_on:
        raise CohortError(["deadline: must not be before the opening date"])
    if (deadline.date() - opens_on).days > MAX_SESSION_DAYS:
        raise CohortError([f"deadline: at most {MAX_SESSION_DAYS} days after the opening date"])
    return deadline


def default_deadline(opens_on: date, days: int = 7) -> datetime:
    return datetime.combine(opens_on + timedelta(days=days), time(23, 59), tzinfo=UTC)


def next_session_number(cohort: Cohort) -> int | None:
    """The number of the session to open next, or None when the program is complete."""
    number = max((s.number for s in cohort.sessions), default=0) + 1
    return number if number <= len(cohort_program(cohort).sessions) else None


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
    deadline = check_deadline(deadline, opens_on)
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


def update_session(
    db: Session,
    cohort_session: CohortSession,
    *,
    deadline: datetime | None = None,
    status: str | None = None,
) -> CohortSession:
    """Move the deadline or close/reopen a session."""
    if status is not None:
        if status not in ("open", "closed"):
            raise CohortError([f"status: must be 'open' or 'closed', not {status!r}"])
        cohort_session.status = status
    if deadline is not None:
        cohort_session.deadline = check_deadline(deadline, cohort_session.opens_on)
    db.flush()
    return cohort_session
