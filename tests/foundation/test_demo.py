"""The demo data: coherent maps, one recognisable profile per participant, two sessions."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analysis import Ego, MapAnalysis, NetworkMap, analyze_map, default_program_path
from app.analysis import load_program as load
from app.cohorts.models import Participant
from app.core.config import Settings
from app.demo import demo_summary, ensure_demo
from app.demo_maps import PROFILES, profile_map
from app.participation.models import Submission
from app.sessions.models import CohortSession

AS_OF = date(2026, 11, 3)
PROGRAM = load(default_program_path())
OWN = ("Operations", "Manufacturing")


def _analyse(profile: str, seed: int) -> MapAnalysis:
    data = profile_map(random.Random(seed), profile, as_of=AS_OF, own_function=OWN[0],
                       own_industry=OWN[1])
    return analyze_map(NetworkMap.model_validate(data), PROGRAM, AS_OF, Ego(*OWN))


def _gap_ids(analysis: MapAnalysis) -> list[str]:
    return [gap.id for gap in analysis.gaps]


@pytest.mark.parametrize("seed", range(2026, 2034))
def test_each_profile_reads_as_itself(seed: int) -> None:
    builder, insider, connector, drifting = (_analyse(p, seed) for p in PROFILES)
    thresholds = PROGRAM.thresholds

    # Builder: invests in growth, has the developmental roles, keeps in touch.
    assert builder.metrics["growth_share"] >= thresholds.min_growth_share + 0.2
    assert not {"resilience_deficit", "missing_developmental_roles", "dormant_ties",
                "insular_network", "closed_network"} & set(_gap_ids(builder))

    # Insider: the company first, everything inside and in one function; the course's
    # theme (company or growth) or the insular network leads.
    assert {"insular_network", "narrow_network"} <= set(_gap_ids(insider))
    assert insider.metrics["ei_index"] < thresholds.min_ei_index
    assert insider.metrics["same_function_share"] > thresholds.max_same_share
    assert insider.metrics["growth_share"] < builder.metrics["growth_share"]
    assert insider.metrics["density"] > 2 * connector.metrics["density"]

    # Connector: many separate worlds and introductions between them.
    assert connector.metrics["introduced_share"] >= 0.25
    assert connector.metrics["constraint"] < 0.15
    assert connector.metrics["efficiency"] > 0.9
    assert not {"not_a_connector", "closed_network", "insular_network"} & set(
        _gap_ids(connector))

    # Drifting: ties left to go quiet and rarely helped lately; the dormant ties are among
    # the first two things to work on.
    assert drifting.metrics["dormant_share"] > thresholds.max_dormant_share + 0.15
    assert "dormant_ties" in _gap_ids(drifting)[:2]
    assert drifting.metrics["helped_share"] < builder.metrics["helped_share"]


@pytest.mark.parametrize("seed", range(2026, 2030))
@pytest.mark.parametrize("profile", PROFILES)
def test_contacts_hang_together(profile: str, seed: int) -> None:
    data = profile_map(random.Random(seed), profile, as_of=AS_OF, own_function=OWN[0],
                       own_industry=OWN[1])
    contacts = data["contacts"]
    assert len({c["label"] for c in contacts}) == len(contacts)  # no two people alike
    for contact in contacts:
        if contact["origin"] in ("education", "personal"):
            assert contact["purpose"] in ("growth", "both"), contact
            assert contact["organization"] == "outside", contact
        if contact["origin"] == "personal":
            assert contact["roles"] == ["friend"], contact
        if contact["organization"] == "inside":
            assert contact["origin"] == "current_job", contact
    colleagues = [c for c in contacts if c["origin"] == "current_job"]
    for_company = [c for c in colleagues if c["purpose"] in ("company", "both")]
    assert len(for_company) >= 0.8 * len(colleagues)
    labels = {c["id"]: c["label"] for c in contacts}
    for commitment in data["commitments"]:
        assert labels[commitment["contact"]] in commitment["text"]


def _maps(db: Session, cohort_session: CohortSession) -> dict[str, Any]:
    rows = db.execute(
        select(Participant.name, Submission.status, Submission.map, Submission.commitment_review)
        .join(Submission, Submission.participant_id == Participant.id)
        .where(Submission.session_id == cohort_session.id)
    ).all()
    return {name: (status, data, ticks) for name, status, data, ticks in rows}


def test_demo_spans_two_sessions_with_ticks_and_is_idempotent(
    db: Session, settings: Settings
) -> None:
    result = ensure_demo(db, settings)
    summary = demo_summary(db, settings, result)
    assert set(summary) == {"facilitator", "login_url", "dashboard_url", "cohort_id",
                            "session_id", "participant_links"}
    first, current = sorted(result.cohort.sessions, key=lambda s: s.number)
    assert first.status == "closed" and current.status == "open"
    before, now = _maps(db, first), _maps(db, current)
    assert len(before) == 8 and all(status == "submitted" for status, _, _ in before.values())
    assert all(data["commitments"] for _, data, _ in before.values())
    statuses = [status for status, _, _ in now.values()]
    assert statuses.count("submitted") == 5 and statuses.count("draft") == 1
    ticks = [item["kept"] for _, _, review in now.values() for item in review or []]
    assert True in ticks and False in ticks and None in ticks

    # The insider (second in the roster) shows an insular network in both sessions.
    insider = result.cohort.participants[1]
    for cohort_session in (first, current):
        data = _maps(db, cohort_session)[insider.name][1]
        analysis = analyze_map(NetworkMap.model_validate(data), PROGRAM,
                               cohort_session.as_of(), Ego(insider.function, insider.industry))
        assert "insular_network" in _gap_ids(analysis)

    again = ensure_demo(db, settings)
    assert (again.cohort.id, again.current_session.id) == (result.cohort.id, current.id)
    assert demo_summary(db, settings, again) == summary
    assert _maps(db, current) == now
