"""SQLite is set up for a web server: concurrent writers queue instead of failing."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from app.core.db import Database
from app.core.migrate import upgrade
from app.facilitators.models import Facilitator


def test_pragmas(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'p.db'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    database.dispose()


def test_concurrent_read_modify_write_transactions_queue(tmp_path: Path) -> None:
    """Each thread reads a value then writes value+1. With deferred transactions this
    loses updates or fails with "database is locked"; BEGIN IMMEDIATE makes them queue."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    upgrade(url)
    database = Database(url)
    with database.session() as session:
        session.add(Facilitator(email="counter@example.org", name="0", password_hash="x"))
    errors: list[BaseException] = []
    threads_count, rounds = 8, 15

    def work() -> None:
        try:
            for _ in range(rounds):
                with database.session() as session:
                    row = session.query(Facilitator).filter_by(email="counter@example.org").one()
                    row.name = str(int(row.name) + 1)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.session(write=False) as session:
        value = session.execute(
            text("SELECT name FROM facilitators WHERE email='counter@example.org'")
        ).scalar()
    assert value == str(threads_count * rounds)
    database.dispose()
