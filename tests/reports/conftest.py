"""Fixtures of the report tests.

Rendering-only tests use plain inputs (report_support) and render in this
process; service tests use the shared `db` and `settings` fixtures, and the
render pool, which is shut down at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _render_pool() -> Iterator[None]:
    yield
    from app.reports.rendering.pool import shutdown_pool

    shutdown_pool()
