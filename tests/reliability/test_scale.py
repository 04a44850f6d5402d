"""The scale path: two app instances share one PostgreSQL.

Each simulated participant sends every request to either instance at random,
so a draft saved through one is read and submitted through the other. The PDF
cache lives in the database: a report rendered by instance A is served by
instance B without rendering it again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.core.db import Database
from app.reports.models import CachedReport
from tests.reliability.harness import ServerProcess, run_crowd, seed, verify_submissions

PARTICIPANTS = 120


def cached_rows(url: str) -> list[tuple[str, str, object]]:
    database = Database(url)
    try:
        with database.session(write=False) as db:
            return [
                (row.key, row.kind, row.created_at)
                for row in db.scalars(select(CachedReport).order_by(CachedReport.key))
            ]
    finally:
        database.dispose()


@pytest.mark.slow
def test_two_instances_share_one_postgresql(
    is_postgres: bool, make_database_url: Callable[..., str], tmp_path: Path
) -> None:
    if not is_postgres:
        pytest.skip("several instances need PostgreSQL: runs on the TEST_DATABASE_URL pass")
    url = make_database_url()
    seeded = seed(url, PARTICIPANTS)
    with ServerProcess(url, workers=1, log_dir=tmp_path) as first, ServerProcess(
        url, workers=1, log_dir=tmp_path
    ) as second:
        result = asyncio.run(
            run_crowd([first.url, second.url], seeded.tokens, concurrency=40, time_budget=150)
        )
        assert result.server_errors == 0, result.errors[:10]
        assert result.errors == [], result.errors[:10]
        assert verify_submissions(url, seeded.session_id, result.submitted) == []
        assert len(result.submitted) == PARTICIPANTS
        for server in (first, second):  # both really served the crowd
            assert server.log().count("/api/v1/p/[redacted]/submit") > 0

        token = next(iter(seeded.tokens.values()))
        path = f"/api/v1/p/{token}/report.pdf"
        with httpx.Client(timeout=120) as client:
            rendered = client.get(first.url + path)
            assert rendered.status_code == 200, rendered.text[:500]
            assert rendered.content.startswith(b"%PDF")
            etag = rendered.headers["etag"]
            before = cached_rows(url)
            assert len(before) == 1

            revalidated = client.get(second.url + path, headers={"If-None-Match": etag})
            assert revalidated.status_code == 304
            assert revalidated.headers["etag"] == etag
            again = client.get(second.url + path)
            assert again.status_code == 200
            assert again.content == rendered.content
            assert again.headers["etag"] == etag
        # Served from the shared cache: no new row, the row was not rewritten.
        assert cached_rows(url) == before
