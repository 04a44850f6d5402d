"""A whole class submitting at once, against the real server.

`wellspring serve --workers 2` runs as a subprocess on a fresh database of the
kind under test (a SQLite file on the default pass, a new PostgreSQL database
on the TEST_DATABASE_URL pass). 200 participants, at most 50 in flight, each
open their link, save one or two drafts and submit a 25-contact map.
bench/bench_load.py runs the same crowd and prints the latencies.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.harness import ServerProcess, run_crowd, seed, verify_submissions

PARTICIPANTS = 200
CONCURRENCY = 50
# Generous for two shared CI cores; a healthy run takes well under half of it.
TIME_BUDGET_S = 150


@pytest.mark.slow
def test_a_class_submits_at_once(make_database_url: Callable[..., str], tmp_path: Path) -> None:
    url = make_database_url()
    seeded = seed(url, PARTICIPANTS)
    started = time.monotonic()
    with ServerProcess(url, workers=2, log_dir=tmp_path) as server:
        result = asyncio.run(
            run_crowd([server.url], seeded.tokens, concurrency=CONCURRENCY,
                      time_budget=TIME_BUDGET_S)
        )
        log = server.log_path.read_text(errors="replace")
    summary = result.summary()
    print(f"\n{PARTICIPANTS} participants in {result.elapsed:.1f}s "
          f"(server up and down: {time.monotonic() - started:.1f}s)")
    for operation, row in summary.items():
        print(f"  {operation:7s} n={row['count']:4.0f} p50={row['p50_ms']:7.0f}ms "
              f"p95={row['p95_ms']:7.0f}ms max={row['max_ms']:7.0f}ms")

    assert result.server_errors == 0, (result.statuses, result.errors[:10], log[-3000:])
    assert result.errors == [], result.errors[:10]
    assert len(result.submitted) == PARTICIPANTS
    # 0 lost, 0 duplicated, and what is stored is exactly what was sent.
    assert verify_submissions(url, seeded.session_id, result.submitted) == []
    # The access log shows every request, never a link token.
    assert "/api/v1/p/[redacted]" in log
    leaked = [token for token in seeded.tokens.values() if token in log]
    assert leaked == []
