"""Fixtures for the dashboard tests: a cohort of real rows and a signed-in facilitator."""

from __future__ import annotations

from tests.cohorts.conftest import auth, browser_client, facilitator

__all__ = ["auth", "browser_client", "facilitator"]
