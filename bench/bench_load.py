"""Benchmark: a whole class saving drafts and submitting at once, against the real server.

Starts `wellspring serve --workers N` on a fresh database (a SQLite file, and a new
PostgreSQL database when one is reachable), seeds a cohort of 200 participants, and
has each of them open their link, save one or two drafts and submit a 25-contact map,
at most 50 at a time, over loopback HTTP. Prints p50/p95 latency and throughput per
step, and checks that nothing was lost or duplicated.

    .venv/bin/python bench/bench_load.py
    .venv/bin/python bench/bench_load.py --database sqlite --workers 1
    BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/bench_load.py --database postgresql
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# The harness lives with the reliability tests; the bench runs from a checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.core.migrate import upgrade
from tests.reliability.harness import (
    ServerProcess,
    run_crowd,
    seed,
    verify_submissions,
)

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="wellspring-bench-") as directory:
        yield f"sqlite:///{directory}/bench.db"


@contextmanager
def postgres_database(base: str) -> Iterator[str]:
    """A new database on the server of `base`, dropped afterwards."""
    base_url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"wellspring_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield base_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_reachable(base: str) -> bool:
    engine = create_engine(make_url(base).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error: not reachable, skip it
        return False
    finally:
        engine.dispose()


def bench(url: str, label: str, args: argparse.Namespace) -> dict[str, Any]:
    upgrade(url)
    seeded = seed(url, args.participants)
    with ServerProcess(url, workers=args.workers) as server:
        started = time.perf_counter()
        result = asyncio.run(
            run_crowd([server.url], seeded.tokens, concurrency=args.concurrency,
                      contacts=args.contacts, time_budget=args.time_budget)
        )
        wall = time.perf_counter() - started
    problems = verify_submissions(url, seeded.session_id, result.submitted)
    requests = sum(len(values) for values in result.latencies.values())
    summary = {
        "database": label,
        "workers": args.workers,
        "participants": args.participants,
        "concurrency": args.concurrency,
        "seconds": round(wall, 2),
        "requests_per_s": round(requests / result.elapsed, 1),
        "submissions_per_s": round(len(result.submitted) / result.elapsed, 1),
        "server_errors": result.server_errors,
        "client_errors": len(result.errors),
        "lost_or_wrong": len(problems) + args.participants - len(result.submitted),
        "operations": {
            operation: {key: round(value, 1) for key, value in row.items()}
            for operation, row in result.summary().items()
        },
    }
    if result.errors:
        summary["first_errors"] = result.errors[:5]
    return summary


def print_table(summary: dict[str, Any]) -> None:
    print(f"\n{summary['database']}: {summary['participants']} participants, "
          f"{summary['workers']} workers, {summary['concurrency']} in flight, "
          f"{summary['seconds']} s, {summary['requests_per_s']} requests/s, "
          f"{summary['submissions_per_s']} submissions/s")
    print(f"  {'step':8s} {'n':>5s} {'p50 ms':>9s} {'p95 ms':>9s} {'max ms':>9s} {'per s':>7s}")
    for operation, row in summary["operations"].items():
        print(f"  {operation:8s} {row['count']:5.0f} {row['p50_ms']:9.0f} {row['p95_ms']:9.0f} "
              f"{row['max_ms']:9.0f} {row['per_s']:7.1f}")
    print(f"  5xx: {summary['server_errors']}, other errors: {summary['client_errors']}, "
          f"lost or wrong: {summary['lost_or_wrong']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--contacts", type=int, default=25)
    parser.add_argument("--time-budget", type=float, default=300)
    parser.add_argument("--json", action="store_true", help="Print JSON instead of tables.")
    args = parser.parse_args()

    postgres = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get(
        "TEST_DATABASE_URL", DEFAULT_POSTGRES
    )
    results = []
    if args.database in ("sqlite", "both"):
        with sqlite_database() as url:
            results.append(bench(url, "SQLite", args))
    if args.database in ("postgresql", "both"):
        if postgres_reachable(postgres):
            with postgres_database(postgres) as url:
                results.append(bench(url, "PostgreSQL", args))
        elif args.database == "postgresql":
            print(f"PostgreSQL not reachable at {postgres}", file=sys.stderr)
            return 2
        else:
            print(f"(PostgreSQL not reachable at {postgres}: skipped)", file=sys.stderr)
    for summary in results:
        if args.json:
            print(json.dumps(summary, indent=2))
        else:
            print_table(summary)
    failed = any(r["server_errors"] or r["lost_or_wrong"] for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
