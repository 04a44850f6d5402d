"""The participants' map requests run on their own small thread budget
(app/core/concurrency.py): at most PARTICIPANT_THREADS at once per worker, off the
event loop, and apart from FastAPI's shared pool."""

from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace
from typing import Any

import anyio.to_thread

from app.core.concurrency import run_participant_work


def _request(threads: int) -> Any:
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(
        settings=SimpleNamespace(participant_threads=threads))))


def test_at_most_participant_threads_run_at_once_off_the_loop() -> None:
    running = 0
    peak = 0
    threads: set[int] = set()
    lock = threading.Lock()

    def work(n: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            threads.add(threading.get_ident())
        time.sleep(0.02)
        with lock:
            running -= 1
        return n * 2

    async def crowd(threads_allowed: int) -> list[int]:
        loop_thread = threading.get_ident()
        results = await asyncio.gather(
            *(run_participant_work(_request(threads_allowed), work, n) for n in range(12))
        )
        assert loop_thread not in threads
        return list(results)

    assert asyncio.run(crowd(3)) == [n * 2 for n in range(12)]
    assert peak == 3
    peak = 0
    asyncio.run(crowd(1))
    assert peak == 1


def test_a_busy_shared_pool_does_not_hold_up_the_map_requests() -> None:
    """Slow work (a report waiting on the render pool) fills FastAPI's shared pool;
    a save still runs at once on the participants' threads."""

    async def scenario() -> float:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1
        release = threading.Event()
        slow = asyncio.ensure_future(anyio.to_thread.run_sync(release.wait, 5))
        await asyncio.sleep(0.05)  # the shared pool's only thread is now taken
        started = time.perf_counter()
        answer = await run_participant_work(_request(2), lambda: "saved")
        waited = time.perf_counter() - started
        release.set()
        await slow
        assert answer == "saved"
        return waited

    assert asyncio.run(scenario()) < 1.0
