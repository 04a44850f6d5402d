"""A small, separate thread budget for the participant's map requests.

FastAPI runs every plain `def` endpoint in one shared pool of 40 threads per worker.
When a whole class saves at once, 40 threads of one process contend for the GIL:
each request's CPU work is sliced among all of them, and a thread holding SQLite's
write turn waits for its next slice while the others parse JSON. Measured with
bench/bench_load.py (200 participants, 50 in flight, 2 workers), running the map
requests on 2 to 4 threads instead raised throughput by a quarter and cut p95 by a
third on both databases. The rest of the queue waits on the event loop, which costs
nothing.

The map requests (open, save, submit) get their own limiter of
`PARTICIPANT_THREADS` threads per worker; everything else (reports that wait on the
render pool, exports, the facilitator's pages) keeps FastAPI's default pool, so a
slow PDF never holds up a save.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Request

P = ParamSpec("P")
T = TypeVar("T")

# One limiter per event loop (a worker has one; the test client starts several).
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _participant_limiter(threads: int) -> CapacityLimiter:
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = CapacityLimiter(threads)
    elif limiter.total_tokens != threads:  # another app's settings in the same loop (tests)
        limiter.total_tokens = threads
    return limiter


async def run_participant_work(
    request: Request, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """``fn(*args, **kwargs)`` in a thread of the participants' own small pool."""
    threads: int = request.app.state.settings.participant_threads
    return await anyio.to_thread.run_sync(
        partial(fn, *args, **kwargs), limiter=_participant_limiter(threads)
    )
