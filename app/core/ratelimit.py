"""Rate limits that stop guessing, never a class.

A whole classroom shares one public address (the venue's NAT), so nothing that a
participant with a valid link does is counted per address:

- failed lookups (unknown or revoked link tokens) are counted per client address
  (FAILED_LOOKUP_RATE_LIMIT, 30 a minute): that is what guessing looks like;
- requests on a valid link are counted per link (TOKEN_RATE_LIMIT, generous);
- failed sign-ins are counted per client address and per account (LOGIN_RATE_LIMIT),
  so neither spraying one password over many accounts nor many passwords at one
  account gets far.

Counters are shared by every worker process of an instance. By default they live in a
small table of their own: in a file beside the SQLite database (so counting never
queues behind map saves for the database's write lock), or in an UNLOGGED table of the
PostgreSQL database. RATE_LIMIT_STORAGE_URL picks one of the `limits` library's
storages instead: `redis://...` to share counters between instances, `memory://` to
count in each process (tests). The strategy is the library's fixed window.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

from app.core.config import Settings
from app.core.db import WriteGate, discard_dead_connections

logger = logging.getLogger("wellspring.ratelimit")

COUNTER_TABLE = "wellspring_rate_limits"
SQLITE_COUNTER_SUFFIX = "-limits"
COUNTER_GATE_TIMEOUT_S = 5  # then SQLite's own busy timeout decides

# Built once (two of them run on every participant request). Each is one statement,
# atomic on its own: the counters' engines run in autocommit, without BEGIN and COMMIT
# round trips around it.
_INCR = text(
    f"INSERT INTO {COUNTER_TABLE} (key, hits, expires_at) "  # noqa: S608
    "VALUES (:key, :amount, :expires) ON CONFLICT (key) DO UPDATE SET "
    f"hits = CASE WHEN {COUNTER_TABLE}.expires_at <= :now THEN :amount "
    f"ELSE {COUNTER_TABLE}.hits + :amount END, "
    f"expires_at = CASE WHEN {COUNTER_TABLE}.expires_at <= :now THEN :expires "
    f"ELSE {COUNTER_TABLE}.expires_at END RETURNING hits"
)
_SWEEP = text(f"DELETE FROM {COUNTER_TABLE} WHERE expires_at < :before")  # noqa: S608
_GET = text(
    f"SELECT hits FROM {COUNTER_TABLE} WHERE key = :key AND expires_at > :now"  # noqa: S608
)
_GET_EXPIRY = text(f"SELECT expires_at FROM {COUNTER_TABLE} WHERE key = :key")  # noqa: S608


_T = TypeVar("_T")


def _is_missing_table(exc: SQLAlchemyError) -> bool:
    message = str(exc)
    return COUNTER_TABLE in message and ("no such table" in message or "does not exist" in message)


class TooManyRequests(Exception):
    """The client must wait `retry_after` seconds (answered with 429 and Retry-After)."""

    def __init__(self, retry_after: int, what: str) -> None:
        super().__init__(what)
        self.retry_after = max(1, retry_after)
        self.what = what


class SQLCounterStorage(Storage):
    """Fixed-window counters in one SQL table, shared by every process that opens it.

    One upsert per hit (SQLite ≥ 3.35 and PostgreSQL both have ON CONFLICT ...
    RETURNING); expired rows are reset in place and swept now and then.
    """

    STORAGE_SCHEME = None  # built directly by RateLimits, not from a URL

    def __init__(
        self, engine: Engine, *, unlogged: bool = False, private_file: str | None = None
    ) -> None:
        super().__init__()
        self.engine = engine
        self.unlogged = unlogged
        self.private_file = private_file
        # A SQLite file takes one writer at a time, and SQLite's busy handler makes a
        # second one sleep in growing steps (1, 2, 5, 10... ms): with a class saving at
        # once, counting cost more waiting than the save. Writers queue on a lock instead.
        self._gate = WriteGate(private_file) if private_file is not None else None
        self._ready = False

    def prepare(self) -> None:
        """Create the table on first use (not at start-up: a database that is down must
        not stop the app from starting and answering /readyz with 503). `wellspring
        serve` calls it once before its workers start, for a SQLite file (see
        prepare_counters)."""
        if self._ready:
            return
        if self.private_file is not None:  # created private, like the database itself
            os.close(os.open(self.private_file, os.O_RDWR | os.O_CREAT, 0o600))
        kind = "UNLOGGED TABLE" if self.unlogged else "TABLE"
        ddl = (
            f"CREATE {kind} IF NOT EXISTS {COUNTER_TABLE} ("
            "key VARCHAR(200) PRIMARY KEY, hits INTEGER NOT NULL, expires_at FLOAT NOT NULL)"
        )
        for attempt in range(3):
            try:
                with self.engine.begin() as connection:
                    connection.execute(text(ddl))
                break
            except SQLAlchemyError:  # two processes creating it at once: one wins
                if attempt == 2:
                    raise
                time.sleep(0.05)
        self._ready = True

    def _with_table(self, operation: Callable[[], _T]) -> _T:
        """Run ``operation``; if the table is missing after all (two processes creating
        a fresh SQLite counter file at once once left one of them without it), create
        it and run it once more rather than answer a participant with a 500."""
        self.prepare()
        try:
            return operation()
        except (OperationalError, ProgrammingError) as exc:
            if not _is_missing_table(exc):
                raise
            logger.warning("rate-limit counters: table missing; creating it again")
            self._ready = False
            self.prepare()
            return operation()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        def increment() -> int:
            now = time.time()
            held = self._gate is not None and self._gate.acquire(COUNTER_GATE_TIMEOUT_S)
            try:
                with self.engine.begin() as connection:
                    hits = connection.execute(
                        _INCR, {"key": key, "amount": amount, "now": now, "expires": now + expiry}
                    ).scalar_one()
                    if random.random() < 0.001:
                        connection.execute(_SWEEP, {"before": now - 3600})
            finally:
                if held and self._gate is not None:
                    self._gate.release()
            return int(hits)

        return self._with_table(increment)

    def get(self, key: str) -> int:
        def read() -> int:
            with self.engine.connect() as connection:
                hits = connection.execute(_GET, {"key": key, "now": time.time()}).scalar()
            return int(hits or 0)

        return self._with_table(read)

    def get_expiry(self, key: str) -> float:
        def read() -> float:
            with self.engine.connect() as connection:
                expires = connection.execute(_GET_EXPIRY, {"key": key}).scalar()
            return float(expires) if expires is not None else time.time()

        return self._with_table(read)

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        self.prepare()
        with self.engine.begin() as connection:
            result: Any = connection.execute(text(f"DELETE FROM {COUNTER_TABLE}"))  # noqa: S608
        return int(result.rowcount or 0)

    def clear(self, key: str) -> None:
        self.prepare()
        with self.engine.begin() as connection:
            connection.execute(
                text(f"DELETE FROM {COUNTER_TABLE} WHERE key = :key"), {"key": key}  # noqa: S608
            )


def _sqlite_counter_engine(database_path: str) -> Engine:
    path = database_path + SQLITE_COUNTER_SUFFIX
    engine = create_engine(
        f"sqlite:///{path}", pool_size=10, max_overflow=40, isolation_level="AUTOCOMMIT",
        connect_args={"timeout": 10, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _tune(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=OFF")  # counters may be lost; the data may not
        cursor.close()

    return engine


def build_storage(settings: Settings) -> Storage:
    """The counters' storage for these settings (see the module docstring).

    On PostgreSQL the counters have a small pool of their own: a request that holds a
    connection for its work must never wait for a second one from the same pool.
    """
    if settings.rate_limit_storage_url:
        # A URL whose client library is missing (redis:// without redis) fails here,
        # at start-up, rather than at the first request.
        storage = storage_from_string(settings.rate_limit_storage_url)
        if not isinstance(storage, Storage):
            raise ValueError("RATE_LIMIT_STORAGE_URL: use a synchronous storage (no async+ URL)")
        return storage
    url = make_url(settings.database_url)
    if settings.is_sqlite:
        if not url.database or url.database == ":memory:":
            return MemoryStorage()
        return SQLCounterStorage(
            _sqlite_counter_engine(url.database),
            private_file=url.database + SQLITE_COUNTER_SUFFIX,
        )
    engine = create_engine(url, pool_size=5, max_overflow=5, isolation_level="AUTOCOMMIT")
    discard_dead_connections(engine)
    return SQLCounterStorage(engine, unlogged=True)


def prepare_counters(settings: Settings) -> None:
    """Create the counters' table of a SQLite database before the server's workers start,
    so that they never race to set up a fresh counter file. Other storages are left to
    their first use (a PostgreSQL or Redis that is down must not stop a start)."""
    storage = build_storage(settings)
    if isinstance(storage, SQLCounterStorage) and settings.is_sqlite:
        storage.prepare()
        storage.engine.dispose()


def client_address(request: Request) -> str:
    """The client's address; X-Forwarded-For counts only from FORWARDED_ALLOW_IPS
    (uvicorn applies it before we see the request)."""
    return request.client.host if request.client else "unknown"


class RateLimits:
    """The app's limits and counters; one per app (app.state.rate_limits)."""

    def __init__(self, settings: Settings) -> None:
        self.storage = build_storage(settings)
        self.strategy = FixedWindowRateLimiter(self.storage)
        self.failed_lookup = parse(settings.failed_lookup_rate_limit)
        self.link = parse(settings.token_rate_limit)
        self.login = parse(settings.login_rate_limit)

    def _refuse(self, item: RateLimitItem, key: str, what: str) -> TooManyRequests:
        reset_at = self.strategy.get_window_stats(item, key).reset_time
        return TooManyRequests(int(reset_at - time.time()) + 1, what)

    # --- links -------------------------------------------------------------------------

    def before_lookup(self, address: str) -> None:
        """Refuse an address that has guessed too many links lately."""
        if not self.strategy.test(self.failed_lookup, "lookup", address):
            raise self._refuse(self.failed_lookup, "lookup", "link lookups")

    def failed_lookup_by(self, address: str) -> None:
        self.strategy.hit(self.failed_lookup, "lookup", address)

    def on_link(self, link_key: str) -> None:
        """Count a request on a valid link; refuse a flood on one link."""
        if not self.strategy.hit(self.link, "link", link_key):
            raise self._refuse(self.link, "link", "requests on this link")

    # --- sign-in -----------------------------------------------------------------------

    def before_sign_in(self, address: str, account: str) -> None:
        for key in (("address", address), ("account", account.strip().lower())):
            if not self.strategy.test(self.login, "login", *key):
                raise self._refuse(self.login, "login", "sign-in attempts")

    def failed_sign_in(self, address: str, account: str) -> None:
        self.strategy.hit(self.login, "login", "address", address)
        self.strategy.hit(self.login, "login", "account", account.strip().lower())

    def reset(self) -> None:
        self.storage.reset()
