"""Cohorts, their programs, rosters and co-facilitators.

Personal links and sessions are the sessions domain's (app/sessions); adding a
participant to a cohort that already has open sessions goes through
`sessions.service.enrol_participants`, which also gives them their links.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from app.analysis import Program, ProgramError, list_programs, load_program
from app.cohorts import repository
from app.cohorts.models import Cohort, Participant
from app.cohorts.roster import load_cohort_file
from app.cohorts.schemas import ParticipantIn, ParticipantPatch, clean_text
from app.core import resources
from app.core.errors import Invalid, NotFound
from app.core.timezones import DEFAULT_TIME_ZONE, check_time_zone, time_zone_names
from app.facilitators.models import Facilitator
from app.facilitators.repository import get_by_email
from app.facilitators.service import normalize_email

LANGUAGES = ("en", "it")


# --- programs -------------------------------------------------------------------------


def available_programs() -> list[tuple[str, Program]]:
    return list_programs(resources.programs_dir())


def program_by_id(program_id: str) -> Program:
    path = resources.programs_dir() / f"{program_id}.yaml"
    if not program_id or "/" in program_id or "\\" in program_id or not path.is_file():
        known = ", ".join(pid for pid, _ in available_programs())
        raise Invalid([f"program: unknown program {program_id!r} (known: {known})"])
    try:
        return load_program(path)
    except ProgramError as exc:
        raise Invalid([f"program: {exc}"]) from exc


# --- cohorts --------------------------------------------------------------------------


def create_cohort(
    db: Session,
    *,
    name: str,
    program_id: str,
    language: str,
    facilitators: Sequence[Facilitator],
    time_zone: str | None = None,
    fallback_time_zone: str | None = None,
) -> Cohort:
    """A new cohort. Its time zone: `time_zone` if given, else the program's
    `default_time_zone`, else `fallback_time_zone` (the facilitator's), else UTC."""
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
    if time_zone:
        try:
            time_zone = check_time_zone(time_zone)
        except Invalid as exc:
            errors.extend(exc.errors)
    if errors:
        raise Invalid(errors)
    program = program_by_id(program_id)
    if not time_zone:
        time_zone = program.default_time_zone
    if not time_zone and fallback_time_zone in time_zone_names():
        time_zone = fallback_time_zone
    cohort = Cohort(
        name=name,
        program_id=program_id,
        program=program.model_dump(mode="json"),
        language=language,
        time_zone=time_zone or DEFAULT_TIME_ZONE,
        facilitators=list(facilitators),
    )
    db.add(cohort)
    db.flush()
    return cohort


def create_cohort_with_roster(
    db: Session,
    facilitator: Facilitator,
    *,
    name: str,
    program_id: str,
    language: str,
    roster: Sequence[ParticipantIn] = (),
    time_zone: str | None = None,
    fallback_time_zone: str | None = None,
) -> Cohort:
    """A new cohort and its roster together: either both exist afterwards or neither."""
    cohort = create_cohort(
        db, name=name, program_id=program_id, language=language, facilitators=[facilitator],
        time_zone=time_zone, fallback_time_zone=fallback_time_zone,
    )
    if roster:  # a new cohort has no sessions yet, so nobody needs a link
        add_participants(db, cohort, roster)
    return cohort


def add_cofacilitator(db: Session, cohort: Cohort, email: str) -> Facilitator:
    email = normalize_email(email)
    found = get_by_email(db, email)
    if found is None or not found.is_active:
        raise Invalid(
            [f"email: no facilitator account for {email}; create it first "
             "(wellspring facilitator create)"]
        )
    if found not in cohort.facilitators:
        cohort.facilitators.append(found)
        db.flush()
    return found


def remove_cofacilitator(db: Session, cohort: Cohort, facilitator_id: int) -> None:
    remaining = [f for f in cohort.facilitators if f.id != facilitator_id]
    if len(remaining) == len(cohort.facilitators):
        raise NotFound(f"facilitator {facilitator_id}: not a facilitator of this cohort")
    if not remaining:
        raise Invalid(["facilitators: a cohort keeps at least one facilitator"])
    cohort.facilitators = remaining
    db.flush()


# --- participants ---------------------------------------------------------------------


def set_time_zone(db: Session, cohort: Cohort, time_zone: str) -> Cohort:
    """Change the cohort's zone: deadlines keep their instant and read in the new zone."""
    cohort.time_zone = check_time_zone(time_zone)
    db.flush()
    return cohort


def add_participants(
    db: Session, cohort: Cohort, rows: Iterable[ParticipantIn]
) -> list[Participant]:
    """Add participants all-or-nothing; an email already in the cohort is an error.

    Links for open sessions are not made here: see sessions.service.enrol_participants.
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
        raise Invalid(errors)
    added = [Participant(cohort=cohort, **row.model_dump()) for row in rows]
    db.add_all(added)
    db.flush()
    return added


def update_participant(
    db: Session, participant: Participant, changes: ParticipantPatch
) -> Participant:
    values = changes.model_dump(exclude_unset=True)
    for required in ("name", "email"):
        if required in values and values[required] is None:
            raise Invalid([f"{required}: must not be empty"])
    new_email = values.get("email")
    if (
        new_email
        and new_email != participant.email.lower()
        and repository.email_taken(db, participant.cohort_id, new_email, except_id=participant.id)
    ):
        raise Invalid([f"email: {new_email} is already in this cohort"])
    for key, value in values.items():
        setattr(participant, key, value)
    db.flush()
    return participant


# --- cohort files ---------------------------------------------------------------------


def import_cohort_file(
    db: Session, path: Path, *, extra_facilitators: Sequence[Facilitator] = ()
) -> Cohort:
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
        raise Invalid(errors)
    if not facilitators:
        raise Invalid([f"{path}: facilitators: at least one facilitator is needed"])
    cohort = create_cohort(
        db, name=spec.name, program_id=spec.program, language=spec.language,
        facilitators=facilitators, time_zone=spec.time_zone,
    )
    add_participants(db, cohort, participants)
    return cohort
