"""The facilitator-side fixtures live in tests/cohorts/conftest.py; reuse them here."""

from tests.cohorts.conftest import (  # noqa: F401 - fixtures
    auth,
    browser_client,
    facilitator,
    other_client,
)
