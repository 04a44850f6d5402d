"""Database engine, sessions and the declarative base.

SQLite is tuned for a web server: WAL so readers never block the writer, a busy
timeout so writers queue instead of failing, foreign keys on, and write
transactions that begin IMMEDIATE. A deferred transaction that later writes
cannot wait for the lock (SQLite returns "database is locked" at once), so every
session that may write must be a write session.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import select
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

from app.core.config import Settings, get_settings

logger = logging.getLogger("wellspring.db")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 30_000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always an aware UTC datetime in Python.

    PostgreSQL keeps the offset (timestamptz); SQLite stores text and hands back
    naive values. Converting here, once, means no caller ever sees a naive time.
    A naive value written by the app is taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def create_private_file(path: str) -> None:
    """Create `path` readable by its owner only, unless it exists (its mode is then kept).

    SQLite gives the -wal and -shm files the database file's permissions, so they
    are private too; maps of third parties are not for other local users.
    """
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:" and not os.path.exists(database):
            with contextlib.suppress(FileNotFoundError):  # a missing folder: /readyz says so
                create_private_file(database)
        if "poolclass" not in kwargs and database and database != ":memory:":
            # A connection per server thread (anyio's pool has 40): SQLite connections
            # are cheap, and a request must never wait 30 s for one.
            kwargs.setdefault("pool_size", 40)
            kwargs.setdefault("max_overflow", 40)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            **kwargs,
        )
        _configure_sqlite(engine)
        return engine
    # Kept open rather than overflowing: a new PostgreSQL connection costs a process.
    # With the rate-limit pool (10), two workers use at most 90 of PostgreSQL's default
    # 100 connections; see docs/operations.md for more workers or instances.
    kwargs.setdefault("pool_size", 25)
    kwargs.setdefault("max_overflow", min(10, kwargs["pool_size"]))
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        discard_dead_connections(engine)
    return engine


def discard_dead_connections(engine: Engine) -> None:
    """Replace a pooled PostgreSQL connection the server has closed, at check-out.

    Instead of SQLAlchemy's pre-ping (a round trip before every use, which doubled the
    round trips of a participant's request): an idle connection has nothing to read,
    so one whose socket is readable has been closed or told it is being terminated (a
    restart, an idle timeout). It is replaced (the pool retries the check-out, as the
    SQLAlchemy documentation describes for DisconnectionError); at worst a healthy
    connection with an unread notice is replaced too.
    """

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if connection_closed_by_server(dbapi_connection):
            raise DisconnectionError("the server closed this pooled connection")


def connection_closed_by_server(dbapi_connection: Any) -> bool:
    if getattr(dbapi_connection, "closed", False) or getattr(dbapi_connection, "broken", False):
        return True
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):  # no socket any more
        return True
    return bool(readable)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control away from pysqlite so we can issue BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten, not just unlinked: erasure leaves no copy.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    database_path = engine.url.database
    gate = WriteGate(database_path) if database_path and database_path != ":memory:" else None

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        info = connection.connection.info
        if mode == "IMMEDIATE" and gate is not None and not info.get(_GATE_HELD):
            info[_GATE_HELD] = gate.acquire(SQLITE_BUSY_TIMEOUT_MS / 1000)
        connection.exec_driver_sql(f"BEGIN {mode}")

    if gate is None:
        return

    def _release(info: dict[str, Any]) -> None:
        if info.pop(_GATE_HELD, False):
            gate.release()

    # Released as the transaction ends (the COMMIT itself takes milliseconds, which
    # SQLite's busy handler covers), and again, as a safety net, when the connection
    # goes back to the pool.
    @event.listens_for(engine, "commit")
    def _on_commit(connection: Any) -> None:
        _release(connection.connection.info)

    @event.listens_for(engine, "rollback")
    def _on_rollback(connection: Any) -> None:
        _release(connection.connection.info)

    @event.listens_for(engine.pool, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        _release(record.info)


_GATE_HELD = "wellspring_write_gate_held"
CHECKPOINT_AFTER_COMMIT = "wellspring_checkpoint_after_commit"
CHECKPOINT_WAIT_MS = 1000


def checkpoint_after_commit(session: Session) -> None:
    """Ask the unit of work to empty SQLite's write-ahead log once this transaction commits
    (after an erasure; see Database.checkpoint)."""
    session.info[CHECKPOINT_AFTER_COMMIT] = True


class WriteGate:
    """Writers to one SQLite file take turns: a thread lock, then a file lock.

    SQLite's busy handler polls with growing sleeps, so under load a newcomer often
    overtakes a writer that has waited for seconds; with two server processes some
    writers waited 30 s and failed with "database is locked". Queuing on a lock
    first keeps the wait short and fair. If the gate cannot be had in time, the
    caller goes on and SQLite's own busy timeout decides, as before.
    """

    def __init__(self, database_path: str) -> None:
        self.path = f"{database_path}.write-lock"
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int:
        # A descriptor per process: one inherited across fork would share the lock.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self._thread_lock.acquire(timeout=timeout):
            return False
        try:
            fd = self._file()
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.002)  # only the other processes' holders compete here
        except OSError:
            pass  # an unwritable directory: fall back to SQLite's own locking
        self._thread_lock.release()
        return False

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread_lock.release()


class Database:
    """One engine and two session factories: read (deferred) and write (immediate)."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.is_sqlite = url.startswith("sqlite")
        self.write_sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.read_sessions = sessionmaker(bind=self.read_engine, expire_on_commit=False)
        self.statement_reads = sessionmaker(
            bind=self.engine.execution_options(isolation_level="AUTOCOMMIT")
            if not self.is_sqlite else self.read_engine,
            expire_on_commit=False,
        )

    @property
    def read_engine(self) -> Engine:
        """The engine for work that never writes: a deferred BEGIN takes no lock on SQLite."""
        if self.is_sqlite:
            return self.engine.execution_options(sqlite_begin="DEFERRED")
        return self.engine

    @classmethod
    def bound_to(cls, engine: Engine, connection: Connection) -> Database:
        """A Database whose sessions join an open connection's transaction as savepoints.

        Tests use it to roll every test back; the app code is unchanged.
        """
        database = cls.__new__(cls)
        database.url = str(engine.url)
        database.engine = engine
        database.is_sqlite = engine.dialect.name == "sqlite"
        factory = sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        database.write_sessions = factory
        database.read_sessions = factory
        database.statement_reads = factory
        return database

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on error."""
        factory = self.write_sessions if write else self.read_sessions
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            if session.info.pop(CHECKPOINT_AFTER_COMMIT, False):
                self.checkpoint()

    @contextmanager
    def reads(self) -> Iterator[Session]:
        """Reads that need no snapshot across statements (never write through it).

        On PostgreSQL each statement runs on its own (autocommit): no BEGIN and COMMIT
        round trips. Under READ COMMITTED, PostgreSQL's default, a transaction would give
        each statement a snapshot of its own anyway. On SQLite, a read session.
        """
        with self.statement_reads() as session:
            yield session

    def checkpoint(self) -> None:
        """Fold SQLite's write-ahead log into the database and empty it (TRUNCATE).

        Until then the log still holds the pages as they were before an erasure.
        Readers in progress can delay it; what they still need stays until the next.
        """
        if not self.is_sqlite:
            return
        # Outside any transaction (a checkpoint cannot run inside one): the driver's
        # connection, bypassing SQLAlchemy's BEGIN.
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            # A reader that stays open would hold the request for the whole busy timeout;
            # wait briefly instead, and leave the rest to the next checkpoint.
            cursor.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
            try:
                busy, _log, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
                cursor.close()
        finally:
            raw.close()
        if busy:
            logger.warning("WAL checkpoint after an erasure was partial: readers were busy")

    def dispose(self) -> None:
        self.engine.dispose()


def pool_options(settings: Settings) -> dict[str, Any]:
    """The engine's pool size on PostgreSQL (DATABASE_POOL_SIZE); SQLite keeps its own."""
    return {} if settings.is_sqlite else {"pool_size": settings.database_pool_size}


@lru_cache
def get_database() -> Database:
    settings = get_settings()
    kwargs: dict[str, Any] = pool_options(settings)
    if settings.is_sqlite and ":memory:" in settings.database_url:
        kwargs["poolclass"] = NullPool
    return Database(settings.database_url, **kwargs)
