"""Demo data: a facilitator, a cohort from the example roster, and realistic maps.

The demo cohort spans two sessions: session 1 closed, with every map submitted
and commitments made; session 2 open, where most participants have submitted an
update and ticked last month's commitments. Each participant has a profile
(builder, insider, connector, drifting; see app/demo_maps.py), so change, the
journey and "you against the cohort" have something to show.

`generate_map` (random maps of any size, no profile) is used by tests and benchmarks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cohorts import service as cohorts
from app.cohorts.models import Cohort
from app.cohorts.roster import parse_roster_csv
from app.core import resources
from app.core.config import Settings
from app.demo_maps import PROFILES, profile_map, review, updated_map
from app.facilitators import service as facilitators
from app.facilitators.repository import get_by_email
from app.participation.repository import get_submission
from app.participation.service import review_from_answers, save_map
from app.sessions import service as sessions
from app.sessions.models import CohortSession, SessionStatus

DEMO_EMAIL = "demo@wellspring.example"
DEMO_PASSWORD = "wellspring-demo"  # noqa: S105 - published on purpose: it is the demo login
DEMO_COHORT_NAME = "Demo cohort: Leading with your network"
EXAMPLE_ROSTER = resources.example_roster()

FUNCTIONS = ["Finance", "Marketing", "Engineering", "HR", "Sales", "Operations", "Legal", "Product"]
INDUSTRIES = ["Health", "Banking", "Retail", "Energy", "Education", "Software", "Public sector"]
ROLES = ["mentor", "sponsor", "way_shower", "community", "peer", "client", "industry", "friend"]
ORIGINS = ["current_job", "former_job", "profession", "education", "personal"]
QUALITIES = ["energizes", "nurtures", "challenges", "drains"]
INITIALS = "ABCDEFGHIJKLMNOPRSTVZ"
COMMITMENTS = [
    "Coffee with {label} to hear what they are working on",
    "Send {label} the article on team retrospectives",
    "Introduce {label} to someone in my book club",
    "Ask {label} for feedback on my presentation",
]


def _month(day: date, months_back: int) -> str:
    index = day.year * 12 + day.month - 1 - months_back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def generate_map(
    rng: random.Random,
    n_contacts: int,
    *,
    as_of: date,
    tie_probability: float = 0.15,
    growth_bias: float = 0.5,
    commitments: int = 2,
) -> dict[str, Any]:
    """A plausible map in the interchange format of DESIGN.md."""
    contacts = []
    for index in range(n_contacts):
        origin = rng.choice(ORIGINS)
        roll = rng.random()
        purpose = (
            "growth" if roll < growth_bias * 0.6 else "both" if roll < growth_bias else "company"
        )
        roles = rng.sample(ROLES, k=rng.choice([1, 1, 2]))
        if origin == "personal" and "friend" not in roles:
            roles = ["friend"]
        qualities = rng.sample(QUALITIES[:3], k=rng.choice([0, 1, 1, 2]))
        if rng.random() < 0.08:
            qualities.append("drains")
        contacts.append(
            {
                "id": f"c{index + 1}",
                "label": f"{rng.choice(INITIALS)}.{rng.choice(INITIALS)}.",
                "purpose": purpose,
                "roles": roles,
                "origin": origin,
                "organization": "inside"
                if origin == "current_job" and rng.random() < 0.8
                else "outside",
                "function": rng.choice(FUNCTIONS),
                "industry": rng.choice(INDUSTRIES),
                "qualities": qualities,
                "closeness": rng.randint(1, 5),
                "last_contact": _month(as_of, rng.choice([0, 1, 2, 3, 5, 8, 13, 18, 26])),
                "i_helped": rng.random() < 0.5,
                "they_helped": rng.random() < 0.6,
                "introduced": rng.random() < 0.25,
            }
        )
    ties = [
        [a["id"], b["id"]]
        for i, a in enumerate(contacts)
        for b in contacts[i + 1 :]
        if rng.random() < tie_probability
    ]
    chosen = rng.sample(contacts, k=min(commitments, len(contacts)))
    return {
        "contacts": contacts,
        "ties": ties,
        "commitments": [
            {"text": rng.choice(COMMITMENTS).format(label=c["label"]), "contact": c["id"]}
            for c in chosen
        ],
    }


@dataclass
class DemoResult:
    cohort: Cohort
    current_session: CohortSession


def ensure_demo(db: Session, settings: Settings) -> DemoResult:
    """Create the demo data once; later calls find and return it."""
    facilitator = get_by_email(db, DEMO_EMAIL)
    if facilitator is None:
        facilitator = facilitators.create_facilitator(
            db, email=DEMO_EMAIL, password=DEMO_PASSWORD, name="Demo Facilitator"
        )
    cohort = db.scalar(
        select(Cohort).where(
            Cohort.name == DEMO_COHORT_NAME,
            Cohort.facilitators.any(id=facilitator.id),
        )
    )
    if cohort is not None:
        return DemoResult(cohort, max(cohort.sessions, key=lambda s: s.number))

    cohort = cohorts.create_cohort(
        db,
        name=DEMO_COHORT_NAME,
        program_id="leadership-8-month",
        language="en",
        facilitators=[facilitator],
    )
    roster = parse_roster_csv(EXAMPLE_ROSTER.read_text(encoding="utf-8"))
    participants = cohorts.add_participants(db, cohort, roster)
    program = cohort.program_definition()
    today = datetime.now(UTC).date()
    # Each participant has a profile (see app/demo_maps.py), in turn: builder, insider,
    # connector, drifting. Fixed seeds: the demo looks the same on every machine.
    profiles = {p.id: PROFILES[index % len(PROFILES)] for index, p in enumerate(participants)}
    rngs = {p.id: random.Random(2026 + index) for index, p in enumerate(participants)}

    # Session 1, last month: closed, everyone submitted a map with commitments.
    last_month = today - timedelta(days=30)
    first = sessions.open_session(
        db,
        settings,
        cohort,
        opens_on=last_month - timedelta(days=7),
        deadline=sessions.default_deadline(last_month - timedelta(days=7)),
    )
    first_maps = {}
    for participant in participants:
        data = profile_map(rngs[participant.id], profiles[participant.id], as_of=last_month,
                           own_function=participant.function or "",
                           own_industry=participant.industry or "")
        first_maps[participant.id] = data
        save_map(db, cohort_session=first, participant=participant, program=program,
                 data=data, submit=True)
    first.status = SessionStatus.CLOSED

    # Session 2, open: most have submitted an update and ticked last month's commitments
    # (kept / not kept / not sure), one has a draft, the rest have not started.
    current = sessions.open_session(
        db, settings, cohort, opens_on=today, deadline=sessions.default_deadline(today, days=14)
    )
    for index, participant in enumerate(participants):
        if index >= len(participants) - 2:
            break
        previous = first_maps[participant.id]
        profile = profiles[participant.id]
        data = updated_map(rngs[participant.id], profile, previous, as_of=today,
                           own_function=participant.function or "",
                           own_industry=participant.industry or "")
        ticks = review_from_answers(previous["commitments"], review(profile, previous))
        save_map(
            db,
            cohort_session=current,
            participant=participant,
            program=program,
            data=data,
            submit=index < len(participants) - 3,
            commitment_review=ticks,
        )
    return DemoResult(cohort, current)


def demo_summary(db: Session, settings: Settings, result: DemoResult) -> dict[str, Any]:
    links = []
    for invitation in sorted(result.current_session.invitations, key=lambda i: i.participant.name):
        submission = get_submission(db, result.current_session.id, invitation.participant_id)
        links.append(
            {
                "participant_id": invitation.participant_id,
                "name": invitation.participant.name,
                "status": submission.status if submission else "not_started",
                "link": sessions.invitation_link(settings, invitation),
            }
        )
    return {
        "facilitator": {"email": DEMO_EMAIL, "password": DEMO_PASSWORD},
        "login_url": f"{settings.base_url}/login",
        "dashboard_url": f"{settings.base_url}/sessions/{result.current_session.id}",
        "cohort_id": result.cohort.id,
        "session_id": result.current_session.id,
        "participant_links": links,
    }
