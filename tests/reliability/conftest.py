"""Fixtures for the reliability tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import Database
from tests.conftest import make_settings


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
