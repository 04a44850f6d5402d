"""Fixtures for the participant side: a cohort with an open session and personal links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.cohorts.models import Cohort, Participant
from app.core.config import Settings
from app.sessions.models import CohortSession, Invitation
from app.sessions.service import invitation_token


@dataclass
class LinkInfo:
    token: str
    invitation: Invitation
    participant: Participant
    session: CohortSession
    cohort: Cohort

    @property
    def api(self) -> str:
        return f"/api/v1/p/{self.token}"

    @property
    def page(self) -> str:
        return f"/p/{self.token}"


def link_for(settings: Settings, session: CohortSession, participant: Participant) -> LinkInfo:
    invitation = next(i for i in session.invitations if i.participant_id == participant.id)
    return LinkInfo(
        token=invitation_token(settings, invitation), invitation=invitation,
        participant=participant, session=session, cohort=session.cohort,
    )


@pytest.fixture
def make_link(
    db: Session, settings: Settings, make_cohort: Callable[..., Any],
    make_session: Callable[..., Any],
) -> Callable[..., LinkInfo]:
    def make(language: str = "en", participants: int = 2) -> LinkInfo:
        cohort = make_cohort(participants=participants, language=language)
        session = make_session(cohort)
        db.flush()
        return link_for(settings, session, cohort.participants[0])

    return make


@pytest.fixture
def link(make_link: Callable[..., LinkInfo]) -> LinkInfo:
    return make_link()
