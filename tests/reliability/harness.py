"""The real server as a subprocess, seeded data, and a crowd of simulated participants.

Shared by the reliability tests and bench/bench_load.py. Everything stays on
loopback; every process started here is ended by its own id (its process group,
which the server leads because it is started in a new session).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from app.core.config import Settings
from app.core.db import Database

REPO_ROOT = Path(__file__).resolve().parents[2]

SECRET = "reliability-secret-key-" + "r" * 40
FACILITATOR_PASSWORD = "reliability password"
WELLSPRING = Path(sys.executable).parent / "wellspring"



def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_settings(database_url: str, base_url: str = "http://127.0.0.1:8000") -> Settings:
    return Settings(
        environment="test", database_url=database_url, secret_key=SECRET, base_url=base_url,
        render_workers=1,
    )


# --- seeding --------------------------------------------------------------------------------


@dataclass
class Seeded:
    database_url: str
    facilitator_email: str
    cohort_id: int
    session_id: int
    # participant id -> personal link token
    tokens: dict[int, str]


def seed(database_url: str, participants: int, *, name: str = "Load cohort") -> Seeded:
    """A facilitator, a cohort of `participants` and an open session, committed."""
    from app.cohorts.schemas import ParticipantIn
    from app.cohorts.service import add_participants, create_cohort
    from app.facilitators.service import create_facilitator
    from app.sessions.service import invitation_token, open_session

    settings = server_settings(database_url)
    database = Database(settings.database_url)
    email = f"load-{uuid.uuid4().hex[:8]}@example.org"
    try:
        with database.session() as db:
            facilitator = create_facilitator(
                db, email=email, password=FACILITATOR_PASSWORD, name="Load Facilitator"
            )
            cohort = create_cohort(
                db, name=name, program_id="leadership-8-month", language="en",
                facilitators=[facilitator],
            )
            add_participants(db, cohort,
                [
                    ParticipantIn(name=f"Participant {i:03d}", email=f"p{i:03d}@example.org")
                    for i in range(participants)
                ],
            )
            cohort_session = open_session(
                db, settings, cohort, deadline=datetime.now(UTC) + timedelta(days=7)
            )
            tokens = {
                invitation.participant_id: invitation_token(settings, invitation)
                for invitation in cohort_session.invitations
            }
            return Seeded(settings.database_url, email, cohort.id, cohort_session.id, tokens)
    finally:
        database.dispose()


# --- the server -----------------------------------------------------------------------------


# On PostgreSQL each server takes up to 2 workers x 20 connections, and one that loses
# workers to a kill keeps the old ones a moment longer. PostgreSQL allows 100, and
# xdist runs two test files at once: servers on PostgreSQL take turns across processes.
_SERVER_SLOT = Path(tempfile.gettempdir()) / "wellspring-postgresql-test-servers.lock"
_slot_holders = 0
_slot_file: Any = None
_slot_guard = threading.Lock()


def _take_server_slot() -> None:
    global _slot_holders, _slot_file
    with _slot_guard:
        if _slot_holders == 0:  # flock is per open file: one per process, counted
            _slot_file = _SERVER_SLOT.open("w")
            fcntl.flock(_slot_file, fcntl.LOCK_EX)
        _slot_holders += 1


def _release_server_slot() -> None:
    global _slot_holders, _slot_file
    with _slot_guard:
        _slot_holders -= 1
        if _slot_holders == 0 and _slot_file is not None:
            fcntl.flock(_slot_file, fcntl.LOCK_UN)
            _slot_file.close()
            _slot_file = None


class ServerProcess:
    """`wellspring serve` in its own process group, logging to a file."""

    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 2,
        port: int | None = None,
        env: dict[str, str] | None = None,
        log_dir: Path | None = None,
    ) -> None:
        self.database_url = database_url
        self.workers = workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = env or {}
        self.log_path = (log_dir or Path(tempfile.mkdtemp(prefix="wellspring-srv-"))) / (
            f"server-{self.port}.log"
        )
        self.process: subprocess.Popen[bytes] | None = None
        self._slot = False

    def start(self, timeout: float = 60) -> ServerProcess:
        if self.database_url.startswith("postgresql") and not self._slot:
            _take_server_slot()
            self._slot = True
        try:
            return self._start(timeout)
        except BaseException:
            self.stop()  # gives the slot back: the other xdist process must not hang
            raise

    def _start(self, timeout: float) -> ServerProcess:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET,
            "BASE_URL": self.url,
            "ENVIRONMENT": "test",
            # One render process per worker: two cores are shared by everything here.
            "RENDER_WORKERS": "1",
            # Two test servers may run at once (xdist) against one PostgreSQL with 100
            # connections: 2 workers x (5 + 5 overflow + 10 for the rate limits) each.
            "DATABASE_POOL_SIZE": "5",
            **self.extra_env,
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(WELLSPRING), "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(self.workers)],
            env=env, cwd=self.log_path.parent, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()  # never leave a half-started server behind
            raise
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                ready = httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
                # With several workers, one answering is not all of them started;
                # wait until the master has spawned every worker.
                if ready and len(self.worker_pids()) >= self.workers:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server did not become ready in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        """uvicorn's worker processes: children of the master that serve requests.

        With one worker uvicorn serves in the master itself. multiprocessing's
        resource tracker is also a child; it is not a worker.
        """
        if self.workers == 1:
            return [self.pid]
        return [
            pid for pid in children(self.pid)
            if "resource_tracker" not in cmdline(pid)
        ]

    def stop(self, timeout: float = 20) -> None:
        try:
            self._stop(timeout)
        finally:
            if self._slot:
                self._slot = False
                _release_server_slot()

    def _stop(self, timeout: float) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # The whole group: the master, its workers and their render pools.
        with _suppress_lookup():
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with _suppress_lookup():
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
        # Workers may outlive the master by a moment; make sure the group is gone.
        with _suppress_lookup():
            os.killpg(self.process.pid, signal.SIGKILL)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _suppress_lookup() -> AbstractContextManager[None]:
    return suppress(ProcessLookupError, PermissionError)


def children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc (psutil is not a dependency)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Field 4 is the parent pid; the command name (field 2) may contain spaces.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return sorted(found)


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


# --- maps and the crowd ---------------------------------------------------------------------


def participant_map(participant_id: int, contacts: int = 25) -> dict[str, Any]:
    """A deterministic, complete map per participant; its labels carry the id to spot mix-ups."""
    from app.demo import generate_map

    rng = random.Random(participant_id)
    data = generate_map(rng, contacts, as_of=datetime.now(UTC).date())
    for index, contact in enumerate(data["contacts"]):
        contact["label"] = f"P{participant_id}-{index}"
    return data


def draft_of(full: dict[str, Any], contacts: int) -> dict[str, Any]:
    """An unfinished map: the first contacts, their ties, no commitments yet."""
    kept = full["contacts"][:contacts]
    ids = {contact["id"] for contact in kept}
    return {
        "contacts": kept,
        "ties": [tie for tie in full["ties"] if tie[0] in ids and tie[1] in ids],
        "commitments": [],
    }


@dataclass
class LoadResult:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # participant id -> the map it last submitted (what must be in the database)
    submitted: dict[int, dict[str, Any]] = field(default_factory=dict)
    elapsed: float = 0.0

    def record(self, operation: str, status: int, seconds: float) -> None:
        self.latencies.setdefault(operation, []).append(seconds)
        counts = self.statuses.setdefault(operation, {})
        counts[status] = counts.get(status, 0) + 1

    @property
    def server_errors(self) -> int:
        return sum(
            count for counts in self.statuses.values()
            for status, count in counts.items() if status >= 500
        )

    def summary(self) -> dict[str, dict[str, float]]:
        table = {}
        for operation, values in sorted(self.latencies.items()):
            ordered = sorted(values)
            table[operation] = {
                "count": len(ordered),
                "p50_ms": 1000 * percentile(ordered, 50),
                "p95_ms": 1000 * percentile(ordered, 95),
                "max_ms": 1000 * ordered[-1],
                "per_s": len(ordered) / self.elapsed if self.elapsed else 0.0,
            }
        return table


def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


async def _participant(
    client: Any,
    base_urls: list[str],
    participant_id: int,
    token: str,
    result: LoadResult,
    contacts: int,
) -> None:
    """Open the link, save one or two drafts, submit: each on any of the instances."""
    rng = random.Random(participant_id * 7919)
    full = participant_map(participant_id, contacts)

    async def call(operation: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        base = rng.choice(base_urls)
        started = time.perf_counter()
        try:
            response = await client.request(method, f"{base}/api/v1/p/{token}{path}", **kwargs)
        except httpx.HTTPError as exc:
            result.errors.append(f"participant {participant_id}: {operation}: {exc!r}")
            raise
        result.record(operation, response.status_code, time.perf_counter() - started)
        if response.status_code >= 400:
            result.errors.append(
                f"participant {participant_id}: {operation} -> {response.status_code} "
                f"{response.text[:300]}"
            )
        return response

    opened = await call("open", "GET", "")
    if opened.status_code != 200:
        return
    etag = opened.headers.get("etag") or f'"{opened.json()["version"]}"'
    drafts = [draft_of(full, contacts // 2)]
    if rng.random() < 0.5:
        drafts.append(draft_of(full, contacts - 3))
    for draft in drafts:
        saved = await call("save", "PUT", "/map", json=draft, headers={"If-Match": etag})
        if saved.status_code != 200:
            return
        etag = saved.headers["etag"]
    # The full map goes up with the submit, the way the form's "Submit" button sends it.
    submitted = await call("submit", "POST", "/submit", json=full, headers={"If-Match": etag})
    if submitted.status_code == 200:
        result.submitted[participant_id] = full


async def run_crowd(
    base_urls: list[str],
    tokens: dict[int, str],
    *,
    concurrency: int = 50,
    contacts: int = 25,
    time_budget: float = 120,
    client: Callable[[], Any] | None = None,
) -> LoadResult:
    """Every participant at once, at most `concurrency` in flight, within `time_budget`.

    `client` makes each participant's HTTP client (default: an httpx.AsyncClient); the
    bench passes a leaner one so that the clients leave the cores to the server.
    """
    make_client = client or (lambda: httpx.AsyncClient(timeout=60))
    result = LoadResult()
    gate = asyncio.Semaphore(concurrency)

    async def one(participant_id: int, token: str) -> None:
        # Each participant is a browser of their own, with its own connection (a pool
        # shared by everyone would open 50 connections in one burst, which the first
        # uvicorn worker to wake up accepts all of). A transport error is recorded by
        # `call`, with the operation.
        async with gate, make_client() as http:
            with suppress(httpx.HTTPError):
                await _participant(http, base_urls, participant_id, token, result, contacts)

    started = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(one(pid, token) for pid, token in tokens.items())),
        timeout=time_budget,
    )
    result.elapsed = time.perf_counter() - started
    return result


# --- checking the database ------------------------------------------------------------------


def canonical_ties(ties: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(tie) for tie in ties if tie[0] != tie[1]}


def verify_submissions(
    database_url: str,
    session_id: int,
    expected: dict[int, dict[str, Any]],
    *,
    maybe: frozenset[int] = frozenset(),
) -> list[str]:
    """Problems found: lost, duplicated, wrong content, or rows that do not match the map.

    `maybe`: participants whose request was cut off, so a submission may or may
    not exist for them (but must be whole if it does; see test_failure).
    """
    from sqlalchemy import func, select

    from app.participation.models import Submission, SubmissionContact, SubmissionTie

    problems: list[str] = []
    database = Database(database_url)
    try:
        with database.session(write=False) as db:
            rows = db.execute(
                select(Submission).where(Submission.session_id == session_id)
            ).scalars().all()
            per_participant: dict[int, list[Submission]] = {}
            for row in rows:
                per_participant.setdefault(row.participant_id, []).append(row)
            contact_rows = dict(
                db.execute(
                    select(SubmissionContact.submission_id, func.count())
                    .group_by(SubmissionContact.submission_id)
                ).all()
            )
            tie_rows = dict(
                db.execute(
                    select(SubmissionTie.submission_id, func.count())
                    .group_by(SubmissionTie.submission_id)
                ).all()
            )
            for participant_id, sent in expected.items():
                found = per_participant.get(participant_id, [])
                if not found:
                    problems.append(f"participant {participant_id}: submission lost")
                    continue
                if len(found) > 1:
                    problems.append(f"participant {participant_id}: {len(found)} submissions")
                submission = found[0]
                if submission.status != "submitted":
                    problems.append(f"participant {participant_id}: status {submission.status}")
                stored = submission.map
                if stored.get("contacts") != sent["contacts"]:
                    problems.append(f"participant {participant_id}: contacts differ from sent")
                if canonical_ties(stored.get("ties", [])) != canonical_ties(sent["ties"]):
                    problems.append(f"participant {participant_id}: ties differ from sent")
                if stored.get("commitments") != sent["commitments"]:
                    problems.append(f"participant {participant_id}: commitments differ")
                if contact_rows.get(submission.id, 0) != len(sent["contacts"]):
                    problems.append(
                        f"participant {participant_id}: {contact_rows.get(submission.id, 0)} "
                        f"contact rows for {len(sent['contacts'])} contacts"
                    )
                if tie_rows.get(submission.id, 0) != len(stored.get("ties", [])):
                    problems.append(f"participant {participant_id}: tie rows do not match map")
            extra = set(per_participant) - set(expected) - maybe
            if extra:
                problems.append(f"unexpected submissions for participants {sorted(extra)[:10]}")
    finally:
        database.dispose()
    return problems


def project_dir() -> Path:
    return REPO_ROOT
