"""The render pool: WeasyPrint is CPU-bound, so reports render in worker processes.

The pool is created on first use, sized from settings (RENDER_WORKERS; by default
the CPUs the process may use, within a container's CPU limit: see
app.core.config.available_cpus), and shut down by the application's lifespan.
Workers come from a forkserver that has already imported the renderer, so a new worker starts in
milliseconds and never inherits the web server's threads or database sockets
(which a plain fork of a threaded server could).

``warm_up`` (called by the application's start-up, in the background) starts
every worker and has each one load what the first report would otherwise pay
for: the fonts, the parsed stylesheets, and a throw-away render.

Jobs are typed (``ParamSpec``): mypy checks the arguments passed to the job
against its signature, as for a direct call.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

logger = logging.getLogger("wellspring.reports")

T = TypeVar("T")
P = ParamSpec("P")

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def tune_collector() -> None:
    """The garbage collector's thresholds for a render process (each worker runs this first).

    A render allocates some 10^6 short-lived objects: young collections every 700
    allocations (the default) cost 3-8% of a report, every 50,000 next to nothing.
    """
    gc.set_threshold(50_000, 20, 100)


def get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size != workers:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=False)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["app.reports.rendering.render"])
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                        initializer=tune_collector)
            _pool_size = workers
        return _pool


def submit(workers: int, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
    """Submit a job; a pool broken by a dead worker is replaced once."""
    try:
        return get_pool(workers).submit(fn, *args, **kwargs)
    except BrokenProcessPool:
        logger.warning("render pool was broken; starting a new one")
        _discard()
        return get_pool(workers).submit(fn, *args, **kwargs)


def run(workers: int, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run one job in the pool and wait for it; retried once if a worker died."""
    try:
        return submit(workers, fn, *args, **kwargs).result()
    except BrokenProcessPool:
        logger.warning("a render worker died; retrying the job in a new pool")
        _discard()
        return submit(workers, fn, *args, **kwargs).result()


def warm_up(workers: int, job: Callable[[], object]) -> None:
    """Start every worker and run ``job`` once in each (best effort, for start-up).

    ``workers`` jobs are submitted at once. ProcessPoolExecutor starts its workers
    as jobs arrive, and a worker still warming is busy, so the jobs spread
    over the workers (at worst one warms twice, which costs time, not correctness).
    """
    try:
        futures = [submit(workers, job) for _ in range(workers)]
        for future in futures:
            future.result()
    except Exception:  # a failed warm-up only means the first report is slower
        logger.warning("render pool warm-up failed", exc_info=True)


def _discard() -> None:
    global _pool, _pool_size
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
        _pool_size = 0


def shutdown_pool() -> None:
    """Stop the workers (application shutdown, end of a CLI command or test session)."""
    global _pool, _pool_size
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
        _pool_size = 0
