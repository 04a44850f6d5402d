"""Fixtures for the reliability tests.

slowapi's limiter is one object per process, shared by every app the tests
create, with in-memory counters: it is reset around each test here so that
counts never leak from one test into the next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import Database
from tests.conftest import make_settings


@pytest.fixture(autouse=True)
def reset_rate_limits() -> Iterator[None]:
    from app.core.ratelimit import limiter

    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def make_client(
    settings: Settings, database: Database
) -> Iterator[Callable[..., TestClient]]:
    """A TestClient on an app built with setting overrides (same rolled-back database)."""
    from app.main import create_app

    opened: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        configured = make_settings(settings.database_url, **overrides)
        client = TestClient(create_app(configured, database), raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)
    # Building an app sets the process-wide limits; put the defaults back.
    create_app(settings, database)


@pytest.fixture
def participant_link(
    db: Session, settings: Settings, make_cohort: Callable[..., Any],
    make_session: Callable[..., Any],
) -> tuple[Any, str]:
    """An open session's invitation and its token."""
    from app.sessions.service import invitation_token

    cohort = make_cohort(participants=2)
    cohort_session = make_session(cohort)
    invitation = cohort_session.invitations[0]
    db.flush()
    return invitation, invitation_token(settings, invitation)
