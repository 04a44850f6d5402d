"""A cohort session full of plausible maps, for the report tests and the benchmark.

Rows are written through the models directly (no links, no e-mail), so the
data is cheap to build; the maps come from app.demo.generate_map.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.analysis import default_program_path, load_program
from app.cohorts.models import Cohort, Participant
from app.demo import generate_map
from app.participation.models import Submission
from app.sessions.models import CohortSession, Invitation

FIRST_NAMES = ["Giulia", "Marco", "Aisha", "Tomás", "Chloé", "Wei", "Noor", "Lars", "Zoë", "Ravi"]
LAST_NAMES = ["Bianchi", "Okafor", "Nguyễn", "Müller", "García-Márquez", "Kowalski", "Søndergaard"]


def _name(rng: random.Random, index: int) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {index + 1}"


def add_session(db: Session, cohort: Cohort, number: int, deadline: datetime) -> CohortSession:
    cohort_session = CohortSession(
        cohort_id=cohort.id, number=number, title=f"Month {number}",
        opens_on=(deadline - timedelta(days=7)).date(), deadline=deadline,
    )
    db.add(cohort_session)
    db.flush()
    return cohort_session


def invite(db: Session, cohort_session: CohortSession, participant: Participant) -> Invitation:
    seed = f"{cohort_session.id}:{participant.id}"
    invitation = Invitation(
        session_id=cohort_session.id, participant_id=participant.id,
        token_hash=hashlib.sha256(seed.encode()).hexdigest(), token_nonce=seed,
        opened_at=datetime.now(UTC),
    )
    db.add(invitation)
    return invitation


def submit(db: Session, cohort_session: CohortSession, participant: Participant,
           network_map: dict[str, Any], *, status: str = "submitted") -> Submission:
    submission = Submission(
        session_id=cohort_session.id, participant_id=participant.id, status=status,
        map=network_map, submitted_at=datetime.now(UTC) if status == "submitted" else None,
    )
    db.add(submission)
    db.flush()
    return submission


def build_cohort(
    db: Session, *, participants: int, contacts: int = 25, language: str = "en",
    seed: int = 7, previous: bool = True, name: str = "Spring cohort — Leading with your network",
    as_of: date = date(2026, 3, 20),
) -> CohortSession:
    """A cohort with ``participants`` submitted maps in session 2 (and session 1 if
    ``previous``), deadlines in the past so the as-of date is stable. Returns session 2.
    """
    rng = random.Random(seed)
    program = load_program(default_program_path())
    cohort = Cohort(name=name, program_id=program.id, program=program.model_dump(mode="json"),
                    language=language)
    db.add(cohort)
    db.flush()
    people = [
        Participant(cohort_id=cohort.id, name=_name(rng, i), email=f"p{i}@example.org")
        for i in range(participants)
    ]
    db.add_all(people)
    deadline = datetime(as_of.year, as_of.month, as_of.day, 18, tzinfo=UTC)
    first = add_session(db, cohort, 1, deadline - timedelta(days=28))
    second = add_session(db, cohort, 2, deadline)
    for person in people:
        size = max(1, contacts + rng.randint(-3, 3))
        if previous:
            invite(db, first, person)
            submit(db, first, person, generate_map(rng, size - 2, as_of=as_of - timedelta(28)))
        invite(db, second, person)
        submit(db, second, person, generate_map(rng, size, as_of=as_of,
                                                growth_bias=rng.uniform(0.2, 0.8)))
    db.flush()
    return second


# Ticks cycled over participants for last session's commitments (kept / not kept / not sure).
TICKS: tuple[bool | None, ...] = (True, True, False, None, True)


def build_journey(
    db: Session, *, participants: int, sessions: int, contacts: int = 12, language: str = "en",
    seed: int = 11, name: str = "Journey cohort", skip: frozenset[tuple[int, int]] = frozenset(),
    as_of: date = date(2026, 10, 20),
) -> Cohort:
    """A cohort with ``sessions`` monthly sessions, every participant submitting each month
    (except the (session, participant index) pairs in ``skip``), maps growing a little, and
    each map after the first ticking last month's commitments from TICKS.
    """
    rng = random.Random(seed)
    program = load_program(default_program_path())
    cohort = Cohort(name=name, program_id=program.id, program=program.model_dump(mode="json"),
                    language=language)
    db.add(cohort)
    db.flush()
    people = [
        Participant(cohort_id=cohort.id, name=_name(rng, i), email=f"j{i}@example.org",
                    function="Finance", industry="Health")
        for i in range(participants)
    ]
    db.add_all(people)
    db.flush()
    last: dict[int, dict[str, Any]] = {}
    for number in range(1, sessions + 1):
        months_back = sessions - number
        session_as_of = as_of - timedelta(days=28 * months_back)
        deadline = datetime(session_as_of.year, session_as_of.month, session_as_of.day, 18,
                            tzinfo=UTC)
        cohort_session = add_session(db, cohort, number, deadline)
        for index, person in enumerate(people):
            invite(db, cohort_session, person)
            if (number, index) in skip:
                last.pop(person.id, None)
                continue
            network_map = generate_map(rng, contacts + number + index % 3, as_of=session_as_of,
                                       growth_bias=min(0.9, 0.3 + 0.05 * number))
            submission = submit(db, cohort_session, person, network_map)
            made = len(last.get(person.id, {}).get("commitments", []))
            if made:
                submission.commitment_review = [
                    {"text": "x", "contact": None, "kept": TICKS[(index + k) % len(TICKS)]}
                    for k in range(made)]
            last[person.id] = network_map
    db.flush()
    return cohort
