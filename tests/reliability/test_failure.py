"""A worker killed mid-submit or mid-render loses nothing that was submitted.

The server runs with two workers; the test SIGKILLs worker processes while
requests are in flight. uvicorn's supervisor replaces dead workers. Afterwards:
every submit that was answered 200 is in the database, every submission is
whole (as many contact and tie rows as its map has), nothing half-written is
left behind, and the next request (a submit, a report) succeeds.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.core.db import Database
from app.participation.models import Submission, SubmissionContact, SubmissionTie
from tests.reliability.harness import (
    ServerProcess,
    participant_map,
    seed,
    verify_submissions,
)


def kill_workers(server: ServerProcess) -> list[int]:
    victims = server.worker_pids()
    assert victims, "no worker process found"
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    return victims


def wait_for_new_workers(server: ServerProcess, dead: list[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [pid for pid in server.worker_pids() if pid not in dead]
        if len(alive) >= server.workers:
            try:
                if httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    raise AssertionError(f"the workers were not replaced:\n{server.log()}")


def whole_submissions(url: str, session_id: int) -> list[str]:
    """Problems: submissions whose rows do not match their map (a half-written save)."""
    problems = []
    database = Database(url)
    try:
        with database.session(write=False) as db:
            for submission in db.scalars(
                select(Submission).where(Submission.session_id == session_id)
            ):
                contacts = db.scalar(
                    select(func.count()).where(SubmissionContact.submission_id == submission.id)
                )
                ties = db.scalar(
                    select(func.count()).where(SubmissionTie.submission_id == submission.id)
                )
                if contacts != len(submission.map.get("contacts", [])):
                    problems.append(f"submission {submission.id}: {contacts} contact rows")
                if ties != len(submission.map.get("ties", [])):
                    problems.append(f"submission {submission.id}: {ties} tie rows")
    finally:
        database.dispose()
    return problems


async def submit_all(
    server: ServerProcess, tokens: dict[int, str], kill_after: float | None
) -> tuple[dict[int, dict[str, Any]], int, list[int]]:
    """Submit every map at once; optionally kill the workers after `kill_after` seconds.

    Returns the maps answered 200, the number of requests cut off, and the killed pids.
    """
    answered: dict[int, dict[str, Any]] = {}
    cut_off = 0
    killed: list[int] = []

    async with httpx.AsyncClient(timeout=60) as client:

        async def one(participant_id: int, token: str) -> None:
            nonlocal cut_off
            data = participant_map(participant_id)
            try:
                response = await client.post(
                    f"{server.url}/api/v1/p/{token}/submit", json=data
                )
            except httpx.HTTPError:
                cut_off += 1
                return
            assert response.status_code < 500 or response.status_code == 502, response.text
            if response.status_code == 200:
                answered[participant_id] = data

        async def killer() -> None:
            if kill_after is not None:
                await asyncio.sleep(kill_after)
                killed.extend(await asyncio.to_thread(kill_workers, server))

        await asyncio.gather(killer(), *(one(pid, token) for pid, token in tokens.items()))
    return answered, cut_off, killed


@dataclass
class Running:
    url: str
    server: ServerProcess
    tokens: dict[int, str]
    session_id: int


@pytest.fixture(scope="module")
def running(
    make_database_url: Callable[..., str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    """One server for both tests: starting one takes seconds on two shared cores."""
    url = make_database_url()
    seeded = seed(url, 94)
    with ServerProcess(url, workers=2, log_dir=tmp_path_factory.mktemp("failure")) as server:
        yield Running(url, server, seeded.tokens, seeded.session_id)


@pytest.mark.slow
def test_killing_workers_mid_submit_loses_nothing_submitted(running: Running) -> None:
    url, server, session_id = running.url, running.server, running.session_id
    ids = sorted(running.tokens)[:90]
    before = {pid: running.tokens[pid] for pid in ids[:30]}
    during = {pid: running.tokens[pid] for pid in ids[30:]}
    committed, _, _ = asyncio.run(submit_all(server, before, kill_after=None))
    assert len(committed) == len(before)

    answered, cut_off, killed = asyncio.run(submit_all(server, during, kill_after=1.0))
    assert killed
    wait_for_new_workers(server, killed)
    print(f"\n{len(answered)} answered, {cut_off} cut off by the kill")

    # Every submit that was answered 200 is stored, as sent; the cut-off ones may
    # or may not have committed, but nothing is half-written.
    cut = frozenset(during) - frozenset(answered)
    assert verify_submissions(url, session_id, {**committed, **answered}, maybe=cut) == []
    assert whole_submissions(url, session_id) == []

    # Whoever was cut off submits again, and it works: nothing is stuck or locked.
    retry = {pid: token for pid, token in during.items() if pid not in answered}
    again, cut_again, _ = asyncio.run(submit_all(server, retry, kill_after=None))
    assert cut_again == 0 and len(again) == len(retry)
    expected = {**committed, **answered, **again}
    assert verify_submissions(url, session_id, expected,
                              maybe=frozenset(running.tokens) - frozenset(ids)) == []
    assert whole_submissions(url, session_id) == []


@pytest.mark.slow
def test_killing_workers_mid_render_then_the_report_renders_again(running: Running) -> None:
    url, server = running.url, running.server
    mine = {pid: running.tokens[pid] for pid in sorted(running.tokens)[90:]}
    committed, _, _ = asyncio.run(submit_all(server, mine, kill_after=None))
    assert len(committed) == len(mine)
    token = next(iter(mine.values()))
    path = f"{server.url}/api/v1/p/{token}/report.pdf"

    async def render_and_kill() -> tuple[int | None, list[int]]:
        async with httpx.AsyncClient(timeout=60) as client:
            request = asyncio.create_task(client.get(path))
            # A render takes a second or more; kill while it is under way.
            await asyncio.sleep(0.3)
            killed = await asyncio.to_thread(kill_workers, server)
            try:
                response = await request
            except httpx.HTTPError:
                return None, killed
            return response.status_code, killed

    status, killed = asyncio.run(render_and_kill())
    # Cut off, unless the render beat the kill.
    assert status in (None, 200)
    wait_for_new_workers(server, killed)

    response = httpx.get(path, timeout=120)
    assert response.status_code == 200, response.text[:500]
    assert response.content.startswith(b"%PDF")
    assert verify_submissions(url, running.session_id, committed,
                              maybe=frozenset(running.tokens) - frozenset(committed)) == []
    assert whole_submissions(url, running.session_id) == []
