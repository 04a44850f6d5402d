"""Fixtures of the report tests.

Rendering-only tests use plain inputs (report_support) and render in this
process; service tests use the shared `db` and `settings` fixtures, and the
render pool, which is shut down at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.core.i18n import LOCALE_DIR, compile_catalogs


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogs() -> None:
    # Install and CI compile the catalogs; a fresh checkout may not have yet.
    po = LOCALE_DIR / "it" / "LC_MESSAGES" / "reports.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        compile_catalogs()


@pytest.fixture(scope="session", autouse=True)
def _render_pool() -> Iterator[None]:
    yield
    from app.reports.rendering.pool import shutdown_pool

    shutdown_pool()
