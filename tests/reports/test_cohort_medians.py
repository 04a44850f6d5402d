"""The cohort beside the participant: medians in the individual report, from 3 maps on."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analysis import NetworkMap, default_program_path, load_program
from app.analysis.cohort import cohort_medians
from app.analysis.measures import compute_metrics, outside_share
from app.core.config import Settings
from app.participation.models import Submission
from app.reports import repository as cache
from app.reports import service
from app.reports.rendering.formatting import Formatter
from app.reports.rendering.individual import individual_context
from app.reports.rendering.reading import number_rows
from app.sessions.models import CohortSession
from tests.factories import build_cohort
from tests.reports.report_support import AS_OF, sample_map


def _submissions(db: Session, cohort_session: CohortSession) -> list[Submission]:
    return list(db.scalars(select(Submission).where(Submission.session_id == cohort_session.id)
                           .order_by(Submission.id)))


def _growth_share(network_map: dict[str, Any]) -> float:
    contacts = network_map["contacts"]
    return sum(c["purpose"] in ("growth", "both") for c in contacts) / len(contacts)


def test_no_median_from_two_maps_and_the_true_median_from_three(
    db: Session, settings: Settings
) -> None:
    cohort_session = build_cohort(db, participants=3, contacts=12, previous=False)
    first, second, third = _submissions(db, cohort_session)
    third.status = "draft"
    db.flush()

    two = service.individual_inputs(db, first, settings)
    assert two["cohort_medians"] == {}
    context = individual_context(two)
    assert not context["medians_shown"]
    assert all(row["median"] is None for row in context["tiles"])

    third.status = "submitted"
    db.flush()
    three = service.individual_inputs(db, first, settings)
    medians = three["cohort_medians"]
    maps = [first.map, second.map, third.map]
    assert medians["size"] == statistics.median(len(m["contacts"]) for m in maps)
    assert medians["growth_share"] == round(statistics.median(_growth_share(m) for m in maps), 4)
    outside = [sum(c["organization"] == "outside" for c in m["contacts"]) / len(m["contacts"])
               for m in maps]
    assert medians["outside_share"] == round(statistics.median(outside), 4)
    # The cohort is part of the report's inputs, so a changed cohort is a new report.
    assert cache.cache_key("individual", two) != cache.cache_key("individual", three)

    context = individual_context(three)
    assert context["medians_shown"]
    size_row = next(row for row in context["tiles"] if row["label"] == "People on your map")
    assert size_row["median"] == f"{medians['size']:g}"


def test_the_pack_computes_the_medians_once_and_gives_everyone_the_same(
    db: Session, settings: Settings
) -> None:
    cohort_session = build_cohort(db, participants=4, contacts=10, previous=False)
    _group, people = service._session_jobs(db, cohort_session, settings)
    medians = [job.inputs["cohort_medians"] for job, _ in people]
    assert medians[0] and all(m == medians[0] for m in medians)
    assert medians[0] == service.session_medians(db, cohort_session)
    assert set(medians[0]) >= {"size", "growth_share", "dormant_share", "helped_share"}
    assert "min" not in str(medians[0]) and "max" not in str(medians[0])


def test_a_changed_map_changes_the_medians_at_once(db: Session) -> None:
    cohort_session = build_cohort(db, participants=3, contacts=12, previous=False)
    before = service.session_medians(db, cohort_session)
    assert service.session_medians(db, cohort_session) == before  # kept, not recomputed
    for submission in _submissions(db, cohort_session):
        changed = dict(submission.map)
        changed["contacts"] = changed["contacts"][:5]
        changed["ties"] = [t for t in changed["ties"]
                           if {t[0], t[1]} <= {c["id"] for c in changed["contacts"]}]
        changed["commitments"] = []
        submission.map = changed
    db.flush()
    after = service.session_medians(db, cohort_session)
    assert after["size"] == 5 and before["size"] != 5


def _maps_with_gaps_in_them() -> list[NetworkMap]:
    """Five maps; in two, nobody's organization is set, and function and industry are
    left blank (all three are optional on the form)."""
    maps = [sample_map(seed, 12) for seed in range(5)]
    for blank in maps[3:]:
        for contact in blank["contacts"]:
            contact["organization"] = None
            contact["function"] = None
            contact["industry"] = None
    return [NetworkMap.model_validate(m) for m in maps]


def test_each_median_counts_a_measure_as_the_report_shows_it() -> None:
    """The Group column is the median of what each participant's own column shows:
    outside share over known organizations, diversity over the attributes filled in."""
    program = load_program(default_program_path())
    maps = _maps_with_gaps_in_them()
    medians = cohort_medians(maps, program, AS_OF)
    shown = [{row["label"]: row["value"] for row in number_rows(
        m, compute_metrics(m, program, AS_OF), program, {}, Formatter("en"))} for m in maps]
    outside = [outside_share(m) for m in maps]
    assert [row["Outside your organization"] for row in shown[3:]] == ["–", "–"]
    assert medians["outside_share"] == round(
        statistics.median(v for v in outside if v is not None), 4)
    diversity = [float(row["Diversity (0 to 1)"]) for row in shown]
    assert medians["diversity"] == pytest.approx(statistics.median(diversity), abs=0.006)


def test_no_median_of_a_measure_fewer_than_three_maps_give() -> None:
    program = load_program(default_program_path())
    maps = _maps_with_gaps_in_them()[1:]  # two maps with organizations set, two without
    medians = cohort_medians(maps, program, AS_OF)
    assert "size" in medians
    assert "outside_share" not in medians
