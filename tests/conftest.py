"""Shared fixtures.

The schema is built once per run with `alembic upgrade head`; each test runs in a
transaction that is rolled back. Tests that need real commits across connections
or processes ask for `fresh_database_url`.

SQLite by default; set TEST_DATABASE_URL=postgresql://... to run on PostgreSQL.
That pass runs only the tests that reach a database (see
`pytest_collection_modifyitems`). Under CI=true a missing database or browser
fails the run instead of skipping.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import Database, make_engine
from app.core.migrate import upgrade

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEST_SECRET = "test-secret-key-" + "x" * 40


def skip_or_fail(reason: str) -> None:
    """A missing dependency is a skip on a laptop and a failure in CI."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, keep only the tests that reach a database through the API.

    Every database in the suite comes from the `base_database_url` fixture. A
    test whose fixtures never reach it (the pure analysis, PDF geometry, the
    wheel) runs the same code on both passes, so the SQLite pass covers it. The
    browser tests (the `browser` fixture) drive pages whose reads and writes are
    the API's, which the PostgreSQL pass does run; in Chromium they check layout,
    keyboard and accessibility, which no database changes, so they run once.
    """
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    kept, dropped = [], []
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        reaches_database = "base_database_url" in fixtures and "browser" not in fixtures
        (kept if reaches_database else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _normalize(url: str) -> str:
    return Settings(database_url=url, secret_key=TEST_SECRET).database_url


@pytest.fixture(scope="session")
def base_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    configured = os.environ.get("TEST_DATABASE_URL")
    if not configured:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    return _normalize(configured)


@pytest.fixture(scope="session")
def is_postgres(base_database_url: str) -> bool:
    return base_database_url.startswith("postgresql")


def _create_postgres_database(base_url: str) -> str:
    name = f"wellspring_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(base_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def make_database_url(
    base_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., str]]:
    """Make a new empty database of the kind under test; migrated unless migrate=False."""
    created: list[str] = []

    def make(*, migrate: bool = True) -> str:
        if base_database_url.startswith("postgresql"):
            url = _create_postgres_database(base_database_url)
            created.append(url)
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('fresh') / 'fresh.db'}"
        if migrate:
            upgrade(url)
        return url

    yield make
    for url in created:
        _drop_postgres_database(base_database_url, url)


@pytest.fixture(scope="session")
def migrated_engine(make_database_url: Callable[..., str]) -> Iterator[Engine]:
    try:
        url = make_database_url()
    except Exception as exc:  # the database server is missing or refuses us
        skip_or_fail(f"test database unavailable: {exc}")
        raise
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(migrated_engine: Engine) -> Iterator[Connection]:
    with migrated_engine.connect() as conn:
        outer = conn.begin()
        try:
            yield conn
        finally:
            if outer.is_active:
                outer.rollback()


@pytest.fixture
def database(migrated_engine: Engine, connection: Connection) -> Database:
    return Database.bound_to(migrated_engine, connection)


@pytest.fixture
def db(database: Database) -> Iterator[Session]:
    with database.write_sessions() as session:
        yield session
        session.flush()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "base_url": "http://testserver",
        "render_workers": 2,
        # No pool started by every app a test creates; tests/reports/test_warm_up.py tests it.
        "render_warm_up": False,
        # Counters per app, so tests never share them; tests of sharing ask for "".
        "rate_limit_storage_url": "memory://",
        **overrides,
    }
    return Settings(**values)


@pytest.fixture
def settings(migrated_engine: Engine) -> Settings:
    return make_settings(migrated_engine.url.render_as_string(hide_password=False))


@pytest.fixture
def app(settings: Settings, database: Database) -> FastAPI:
    from app.main import create_app

    return create_app(settings, database)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogs() -> None:
    """bin/setup compiles the catalog; a checkout edited since may hold a newer .po."""
    from app.core.i18n import catalog_path, compile_catalogs

    po, mo = catalog_path("it", ".po"), catalog_path("it")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        compile_catalogs()


@pytest.fixture(scope="session", autouse=True)
def _render_pool_shut_down() -> Iterator[None]:
    """Stop the PDF render workers when the run ends, so no process outlives pytest."""
    yield
    from app.reports.rendering.pool import shutdown_pool

    shutdown_pool()


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its production cost takes about a second here; tests use a cheap one.

    tests/foundation/test_security.py checks the production parameters themselves.
    """
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    import app.core.security

    cheap = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    monkeypatch.setattr(app.core.security, "password_hasher", lambda: cheap)


# --- domain factories -------------------------------------------------------------------

FACILITATOR_PASSWORD = "correct horse battery"


@pytest.fixture
def make_facilitator(db: Session) -> Callable[..., Any]:
    from app.facilitators.service import create_facilitator

    def make(email: str | None = None, password: str = FACILITATOR_PASSWORD) -> Any:
        email = email or f"f-{uuid.uuid4().hex[:8]}@example.org"
        return create_facilitator(db, email=email, password=password, name="Test Facilitator")

    return make


@pytest.fixture
def make_cohort(
    db: Session, settings: Settings, make_facilitator: Callable[..., Any]
) -> Callable[..., Any]:
    from app.cohorts.schemas import ParticipantIn
    from app.cohorts.service import add_participants, create_cohort

    def make(
        facilitator: Any = None, participants: int = 4, language: str = "en", name: str = "Cohort"
    ) -> Any:
        facilitator = facilitator or make_facilitator()
        cohort = create_cohort(
            db,
            name=name,
            program_id="leadership-8-month",
            language=language,
            facilitators=[facilitator],
        )
        rows = [
            ParticipantIn(
                name=f"Participant {i}",
                email=f"p{i}-{uuid.uuid4().hex[:6]}@example.org",
                organization="Acme",
            )
            for i in range(1, participants + 1)
        ]
        add_participants(db, cohort, rows)
        return cohort

    return make


@pytest.fixture
def make_session(db: Session, settings: Settings) -> Callable[..., Any]:
    from app.sessions.service import open_session

    def make(cohort: Any, *, days: int = 7, opens_on: Any = None) -> Any:
        opens_on = opens_on or datetime.now(UTC).date()
        return open_session(
            db,
            settings,
            cohort,
            opens_on=opens_on,
            deadline=datetime.now(UTC) + timedelta(days=days),
        )

    return make


# --- live server and browser -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    def __init__(self, url: str, settings: Settings, database: Database) -> None:
        self.url = url
        self.settings = settings
        self.database = database


@pytest.fixture
def live_server(make_database_url: Callable[..., str]) -> Iterator[LiveServer]:
    """The real app under uvicorn in a thread, on its own committed database."""
    import uvicorn

    from app.main import create_app

    url = make_database_url()
    port = free_port()
    settings = make_settings(url, base_url=f"http://127.0.0.1:{port}")
    database = Database(url)
    application = create_app(settings, database)
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("live server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", settings, database)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module. Not for the whole run: Playwright's sync API keeps an
    event loop running in the main thread while it is open, which breaks asyncio.run()
    in later tests."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed")
        raise
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    new_page = context.new_page()
    yield new_page
    context.close()
