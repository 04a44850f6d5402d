"""The participant's own function and industry flow from the roster into the analysis:
the individual report's inputs, the on-screen fallback and the group inputs."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analysis import NetworkMap
from app.analysis.measures import normalize_category
from app.cohorts.models import Participant
from app.core.config import Settings
from app.participation.models import Submission
from app.reports import service
from app.reports.rendering.group import analyze_group
from app.reports.rendering.individual import individual_context
from app.sessions.models import CohortSession
from tests.factories import build_cohort
from tests.reports.report_support import individual_inputs as report_inputs


def _first_submission(db: Session, cohort_session: CohortSession) -> Submission:
    return db.scalars(
        select(Submission).where(Submission.session_id == cohort_session.id)
        .order_by(Submission.id)
    ).first()  # type: ignore[return-value]


def _expected_share(network: NetworkMap, attribute: str, own: str) -> float:
    values = [normalize_category(getattr(c, attribute)) for c in network.contacts]
    present = [v for v in values if v is not None]
    return Counter(present)[normalize_category(own)] / len(present)


def test_same_shares_come_from_the_roster(db: Session, settings: Settings) -> None:
    cohort_session = build_cohort(db, participants=1, contacts=12, previous=False)
    submission = _first_submission(db, cohort_session)
    participant = db.get_one(Participant, submission.participant_id)
    network = NetworkMap.model_validate(submission.map)
    functions = Counter(c.function for c in network.contacts if c.function)
    own_function = functions.most_common(1)[0][0]
    participant.function = f"  {own_function.upper()} "
    participant.industry = "An industry nobody on the map is in"
    db.flush()

    inputs = service.individual_inputs(db, submission, settings)
    assert inputs["participant"]["function"] == participant.function
    program = cohort_session.cohort.program_definition()
    report = service.on_screen_report(
        submission, program, cohort_session.as_of(), "en", None, None,
        service.participant_ego(participant),
    )
    metrics = report.analysis["metrics"]
    assert metrics["same_function_share"] == _expected_share(network, "function", own_function)
    assert metrics["same_function_share"] > 0
    assert metrics["same_industry_share"] == 0.0

    participant.function = None
    participant.industry = None
    db.flush()
    unknown = service.on_screen_report(
        submission, program, cohort_session.as_of(), "en", None, None,
        service.participant_ego(participant),
    )
    assert "same_function_share" not in unknown.analysis["metrics"]
    assert "same_industry_share" not in unknown.analysis["metrics"]


def test_individual_report_shows_distinct_functions(db: Session, settings: Settings) -> None:
    cohort_session = build_cohort(db, participants=1, contacts=12, previous=False)
    submission = _first_submission(db, cohort_session)
    network = NetworkMap.model_validate(submission.map)
    context = individual_context(service.individual_inputs(db, submission, settings))
    distinct_functions = len({normalize_category(c.function) for c in network.contacts
                              if normalize_category(c.function)})
    tile = next(t for t in context["tiles"] if t["label"] == "Different functions · industries")
    assert tile["value"].startswith(f"{distinct_functions} · ")


def test_group_inputs_carry_each_submitter_own_function(
    db: Session, settings: Settings
) -> None:
    cohort_session = build_cohort(db, participants=4, contacts=10, previous=False)
    people = list(db.scalars(select(Participant).order_by(Participant.id)))
    for person in people:
        person.function = "Finance"
    db.flush()
    inputs = service.group_inputs(db, cohort_session, settings)
    assert set(inputs["egos"]) == set(inputs["maps"])
    assert all(own == {"function": "Finance", "industry": None}
               for own in inputs["egos"].values())
    analysis = analyze_group(inputs, cohort_session.cohort.program_definition())
    assert analysis.distributions["same_function_share"] is not None
    assert all("same_function_share" in a.metrics for a in analysis.analyses.values())
    assert all("same_industry_share" not in a.metrics for a in analysis.analyses.values())


def test_report_reconnect_rows_and_next_step_agree_without_drainers() -> None:
    contacts = [
        {"id": f"c{i}", "label": f"Person {i}", "purpose": "growth", "roles": ["peer"],
         "origin": "former_job", "organization": "outside", "function": f"F{i}",
         "industry": f"I{i % 4}", "qualities": ["drains"] if i == 0 else ["energizes"],
         "closeness": 5 - i % 5, "last_contact": "2023-01" if i < 6 else "2026-02",
         "i_helped": True, "they_helped": True, "introduced": True}
        for i in range(10)
    ]
    network = {"contacts": contacts, "ties": [], "commitments": []}
    context = individual_context(report_inputs(network, previous=False))
    rows = [row["label"] for row in context["reconnect"]]
    assert rows == ["Person 5", "Person 1", "Person 2", "Person 3", "Person 4"]  # closest first
    card = next(g for g in context["gaps"] if "Dormant" in g["title"])
    named = [label for label in rows if label in card["next_step"]]
    assert named == rows[:3]
    assert [card["next_step"].index(label) for label in named] == sorted(
        card["next_step"].index(label) for label in named)
    assert "Person 0" not in card["next_step"] and "Person 0" not in rows
    # The drainer is still on the map, with everyone else: the list leaves them out, not
    # the picture.
    assert all(f">{contact['label']}<" in str(context["sociogram"]) for contact in contacts)
