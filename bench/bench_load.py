"""Benchmark: a whole class saving drafts and submitting at once, against the real server.

Starts `wellspring serve --workers N` on a fresh database (a SQLite file, and a new
PostgreSQL database when one is reachable), seeds a cohort of 200 participants, and
has each of them open their link, save one or two drafts and submit a 25-contact map,
at most 50 at a time, over loopback HTTP. Prints p50/p95 latency and throughput per
step, and checks that nothing was lost or duplicated.

Then "a class of 30 on one address": 30 participants on one public address (all
from 127.0.0.1), each autosaving its map every 2 s for a minute, as the form does.
Every request must be answered 200; the number throttled (429) must be 0.

The clients share the cores with the server, so they use a lean HTTP/1.1 client
(bench/lean_http.py, about 1 ms of CPU a request against httpx's 8.5 ms); `--client
httpx` measures with httpx instead. Besides latency and throughput, the bench prints
the server's CPU time per request (all its processes, from /proc), which is steadier
than wall-clock figures on a shared machine.

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
import random
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
from bench.lean_http import LeanClient
from tests.reliability.harness import (
    ServerProcess,
    draft_of,
    participant_map,
    percentile,
    run_crowd,
    seed,
    verify_submissions,
)

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
# The production pool size (the test harness keeps its servers small).
NO_WARM_UP = {"RENDER_WARM_UP": "false", "DATABASE_POOL_SIZE": "25"}


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


def cpu_seconds(root_pid: int) -> float:
    """CPU time (user + system) of a process and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root_pid]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def bench(url: str, label: str, args: argparse.Namespace) -> dict[str, Any]:
    upgrade(url)
    seeded = seed(url, args.participants + args.warm_up)
    ids = sorted(seeded.tokens)
    warm_up = {pid: seeded.tokens[pid] for pid in ids[:args.warm_up]}
    measured = {pid: seeded.tokens[pid] for pid in ids[args.warm_up:]}
    client = LeanClient if args.client == "lean" else None
    # The render pool's warm-up at start-up (a few CPU-seconds, long before a class arrives
    # in real life) would land inside the first seconds of the measurement here.
    with ServerProcess(url, workers=args.workers, env=NO_WARM_UP) as server:
        assert server.process is not None
        # A few participants first, unmeasured: a server that has been up a while has
        # imported, compiled and cached what the first requests of a new process do.
        asyncio.run(run_crowd([server.url], warm_up, concurrency=args.concurrency,
                              contacts=args.contacts, time_budget=args.time_budget,
                              client=client))
        server_cpu = cpu_seconds(server.process.pid)
        client_cpu = time.process_time()
        started = time.perf_counter()
        result = asyncio.run(
            run_crowd([server.url], measured, concurrency=args.concurrency,
                      contacts=args.contacts, time_budget=args.time_budget, client=client)
        )
        wall = time.perf_counter() - started
        server_cpu = cpu_seconds(server.process.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
    problems = verify_submissions(url, seeded.session_id, result.submitted,
                                  maybe=frozenset(warm_up))
    requests = sum(len(values) for values in result.latencies.values())
    summary = {
        "database": label,
        "workers": args.workers,
        "participants": args.participants,
        "concurrency": args.concurrency,
        "seconds": round(wall, 2),
        "requests_per_s": round(requests / result.elapsed, 1),
        "client": args.client,
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(requests, 1), 2),
        "client_cpu_ms_per_request": round(1000 * client_cpu / max(requests, 1), 2),
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


async def autosaving_class(
    base_url: str, tokens: dict[int, str], *, seconds: float, every: float = 2.0
) -> dict[str, Any]:
    """Each participant opens their link, then saves a growing draft every `every` s."""
    statuses: dict[int, int] = {}
    latencies: list[float] = []

    async def participant(participant_id: int, token: str) -> None:
        full = participant_map(participant_id)
        async with LeanClient(timeout=30) as client:
            await asyncio.sleep(random.uniform(0, every))  # people do not type in step
            opened = await client.get(f"{base_url}/api/v1/p/{token}")
            statuses[opened.status_code] = statuses.get(opened.status_code, 0) + 1
            rounds = int(seconds / every)
            for round_number in range(rounds):
                started = time.perf_counter()
                draft = draft_of(full, min(len(full["contacts"]), round_number + 1))
                response = await client.put(
                    f"{base_url}/api/v1/p/{token}/map", json=draft, headers={"If-Match": "*"}
                )
                latencies.append(time.perf_counter() - started)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                await asyncio.sleep(max(0.0, every - (time.perf_counter() - started)))

    await asyncio.gather(*(participant(pid, token) for pid, token in tokens.items()))
    ordered = sorted(latencies)
    return {
        "requests": sum(statuses.values()),
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "throttled": statuses.get(429, 0),
        "save_p50_ms": round(percentile(ordered, 50) * 1000, 1),
        "save_p95_ms": round(percentile(ordered, 95) * 1000, 1),
    }


def bench_class(url: str, label: str, args: argparse.Namespace) -> dict[str, Any]:
    upgrade(url)
    seeded = seed(url, 30, name="Class of 30")
    with ServerProcess(url, workers=args.workers, env=NO_WARM_UP) as server:
        result = asyncio.run(autosaving_class(server.url, seeded.tokens,
                                              seconds=args.class_seconds))
    return {"database": label, "scenario": "class of 30 on one address", **result}


def print_table(summary: dict[str, Any]) -> None:
    if summary.get("scenario"):
        print(f"\n{summary['database']}: {summary['scenario']}, autosaving every 2 s: "
              f"{summary['requests']} requests, statuses {summary['statuses']}, "
              f"throttled {summary['throttled']}, save p50 {summary['save_p50_ms']} ms, "
              f"p95 {summary['save_p95_ms']} ms")
        return
    print(f"\n{summary['database']}: {summary['participants']} participants, "
          f"{summary['workers']} workers, {summary['concurrency']} in flight, "
          f"{summary['seconds']} s, {summary['requests_per_s']} requests/s, "
          f"{summary['submissions_per_s']} submissions/s; CPU per request: server "
          f"{summary['server_cpu_ms_per_request']} ms, client ({summary['client']}) "
          f"{summary['client_cpu_ms_per_request']} ms")
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
    parser.add_argument("--warm-up", type=int, default=20,
                        help="Participants who go first, unmeasured (default 20).")
    parser.add_argument("--time-budget", type=float, default=300)
    parser.add_argument("--class-seconds", type=float, default=60,
                        help="How long the class of 30 autosaves (0 skips it).")
    parser.add_argument("--client", choices=["lean", "httpx"], default="lean",
                        help="The participants' HTTP client (default: the lean one).")
    parser.add_argument("--json", action="store_true", help="Print JSON instead of tables.")
    args = parser.parse_args()

    postgres = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get(
        "TEST_DATABASE_URL", DEFAULT_POSTGRES
    )
    results = []
    if args.database in ("sqlite", "both"):
        with sqlite_database() as url:
            results.append(bench(url, "SQLite", args))
        if args.class_seconds:
            with sqlite_database() as url:
                results.append(bench_class(url, "SQLite", args))
    if args.database in ("postgresql", "both"):
        if postgres_reachable(postgres):
            with postgres_database(postgres) as url:
                results.append(bench(url, "PostgreSQL", args))
            if args.class_seconds:
                with postgres_database(postgres) as url:
                    results.append(bench_class(url, "PostgreSQL", args))
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
    failed = any(
        r.get("server_errors") or r.get("lost_or_wrong") or r.get("throttled") for r in results
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
