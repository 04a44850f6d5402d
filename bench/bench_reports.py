"""Report-rendering benchmark, as multiples of the fixed reference document.

Run: .venv/bin/python bench/bench_reports.py [--reference PATH] [--repeat N] [--pack-repeat N]

In one process, after one warm-up of each, it times the calibration document
(../shared/bench/reference.html), the individual report of a 25-contact map
with ties, the report of a 150-contact, 2,000-tie map, the group report of a
30-participant session, the first report after a start (render pool warmed in
the background as the app's start-up does, and cold for comparison), the
30-participant pack serially and with the render pool, the pack of 30 cached
reports, and a cached report fetch. Each is the best of several runs (other
processes on a shared machine only ever add time, so the minimum is the
steadiest estimate); the machine's speed cancels out of the ratios. Serial and
pooled pack runs alternate, so both see the same background load. This process
first runs the render workers' own warm-up (render.warm_up, pool.tune_collector),
so its in-process renders run in the state a pool worker is in.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

DEFAULT_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "bench" / "reference.html"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(*fns: Callable[[], Any], repeat: int) -> list[float]:
    """Best-of-``repeat`` time of each function, after one warm-up, runs interleaved."""
    for fn in fns:
        fn()
    runs: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for index, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            runs[index].append(time.perf_counter() - start)
    return [min(r) for r in runs]


def python_calls(fn: Callable[[], Any]) -> int:
    """Python function calls of one run: a load-independent cross-check of the timings."""
    profile = cProfile.Profile()
    profile.enable()
    fn()
    profile.disable()
    return int(pstats.Stats(profile).total_calls)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--repeat", type=int, default=9, help="runs of each single report")
    parser.add_argument("--pack-repeat", type=int, default=2, help="runs of each pack mode")
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--workers", type=int, default=0, help="pool size (default: settings)")
    args = parser.parse_args()
    if not args.reference.is_file():
        print(f"reference document not found: {args.reference}", file=sys.stderr)
        return 2

    import random
    from functools import partial

    import weasyprint
    from sqlalchemy import select

    from app.core.config import Settings
    from app.core.db import Database
    from app.core.migrate import upgrade
    from app.demo import generate_map
    from app.participation.models import Submission
    from app.reports import service
    from app.reports.rendering import pool
    from app.reports.rendering.pack import Job, PackPart, assemble_pack, build_pack, render_all
    from app.reports.rendering.pool import shutdown_pool
    from app.reports.rendering.render import render_report, warm_up
    from app.reports.service import group_inputs, individual_inputs
    from tests.factories import build_cohort

    reference_html = args.reference.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        database = Database(url)
        settings = Settings(database_url=url, secret_key="b" * 40)
        if args.workers:
            settings = settings.model_copy(update={"render_workers": args.workers})
        with database.session() as db:
            cohort_session = build_cohort(db, participants=args.participants, contacts=25)
            session_id = cohort_session.id
        with database.session() as db:
            cohort_session = db.get_one(type(cohort_session), session_id)
            submissions = db.scalars(
                select(Submission)
                .where(Submission.session_id == session_id)
                .order_by(Submission.id)
            ).all()
            one = individual_inputs(db, submissions[0], settings)
            group = group_inputs(db, cohort_session, settings)
            jobs = [Job("group", group, title="Group report")] + [
                Job("individual", individual_inputs(db, s, settings), title=str(i))
                for i, s in enumerate(submissions)
            ]
        contacts = len(one["map"]["contacts"])
        ties = len(one["map"]["ties"])
        big_map = generate_map(random.Random(150), 150, as_of=date.fromisoformat(one["as_of"]),
                               tie_probability=0.19)
        big_map["ties"] = big_map["ties"][:2000]
        big = {**one, "map": big_map, "previous": None}
        warm_up(settings.page_size)
        pool.tune_collector()

        def first_report(warm: bool) -> float:
            """A new pool (as after a start), warmed or not; then one report through it."""
            shutdown_pool()
            if warm:
                pool.warm_up(settings.render_workers, partial(warm_up, settings.page_size))
            start = time.perf_counter()
            pool.run(settings.render_workers, render_report, "individual", one)
            return time.perf_counter() - start

        results: dict[str, float] = {}
        (results["reference"], results["individual"], results["group"]) = timed(
            lambda: weasyprint.HTML(string=reference_html).write_pdf(),
            lambda: render_report("individual", one),
            lambda: render_report("group", group),
            repeat=args.repeat,
        )
        (results["reference 2"], results["big"]) = timed(
            lambda: weasyprint.HTML(string=reference_html).write_pdf(),
            lambda: render_report("individual", big),
            repeat=max(3, args.repeat // 3),
        )
        results["first cold"] = first_report(False)
        # Last, so the packs below use a pool warmed as the app's start-up warms it.
        results["first warm"] = min(first_report(True) for _ in range(2))

        def pack(workers: int) -> bytes:
            """A pack of reports none of which is cached, as the service builds it."""
            return build_pack(list(jobs), cover_inputs=group, workers=workers)[0]

        (results["pack serial"], results["pack pooled"]) = timed(
            lambda: pack(0), lambda: pack(settings.render_workers), repeat=args.pack_repeat,
        )
        # Every report already cached: the pack only merges them under a fresh cover.
        rendered = render_all(jobs, workers=settings.render_workers)
        # The cache keeps each PDF's page count, as the app's does.
        cached_parts = [PackPart(job.title, doc.pdf, doc.pages)
                        for job, doc in zip(jobs, rendered, strict=True)]
        (results["pack cached"],) = timed(
            lambda: assemble_pack(cached_parts, cover_inputs=group,
                                  workers=settings.render_workers),
            repeat=max(args.pack_repeat, 5),
        )

        calls = {
            "reference": python_calls(lambda: weasyprint.HTML(string=reference_html).write_pdf()),
            "individual": python_calls(lambda: render_report("individual", one)),
            "group": python_calls(lambda: render_report("group", group)),
        }

        def cached() -> None:
            with database.session() as db:
                submission = db.get_one(Submission, submissions[0].id)
                service.individual_report(db, submission, settings=settings)

        (results["cached"],) = timed(cached, repeat=max(args.repeat, 5))
        shutdown_pool()

    ref = min(results["reference"], results["reference 2"])
    print(f"reference: {args.reference} ({ref * 1000:.0f} ms)")
    print(
        f"workers: {settings.render_workers}; individual map: {contacts} contacts, "
        f"{ties} ties; big map: {len(big_map['contacts'])} contacts, {len(big_map['ties'])} ties; "
        f"pack: {len(jobs)} reports"
    )
    rows = [
        ("individual report", results["individual"], results["individual"] / ref, "<= 0.6x ref"),
        ("150 contacts", results["big"], results["big"] / ref, "<= 2x ref"),
        ("first after start", results["first warm"], results["first warm"] / ref,
         "<= 1.5x ref (pool warmed at start-up)"),
        ("first, cold pool", results["first cold"], results["first cold"] / ref,
         "(no warm-up, for comparison)"),
        ("group report", results["group"], results["group"] / ref, "<= 0.86x ref"),
        ("pack, serial", results["pack serial"], results["pack serial"] / ref, ""),
        (
            "pack, pooled",
            results["pack pooled"],
            results["pack pooled"] / ref,
            f"<= 0.5x serial: {results['pack pooled'] / results['pack serial']:.2f}x",
        ),
        ("pack, all cached", results["pack cached"], results["pack cached"] / ref, "<= 1.0x ref"),
        (
            "cached report",
            results["cached"],
            results["cached"] / ref,
            f"<= 1/20 of render: 1/{results['individual'] / results['cached']:.0f}",
        ),
    ]
    for name, seconds, ratio, target in rows:
        print(f"{name:<20} {seconds * 1000:>8.0f} ms  {ratio:>6.2f}x ref  {target}")
    print(
        "Python calls per render, as a multiple of the reference's (unaffected by machine "
        f"load): individual {calls['individual'] / calls['reference']:.2f}x, "
        f"group {calls['group'] / calls['reference']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
