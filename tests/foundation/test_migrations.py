"""The Alembic history builds the models' schema, both ways, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import app.models  # noqa: F401
from app.core.db import Base, make_engine
from app.core.migrate import downgrade, upgrade


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(make_database_url: Callable[..., str]) -> None:
    url = make_database_url(migrate=False)
    upgrade(url)
    assert _tables(url) == set(Base.metadata.tables)
    downgrade(url, "base")
    assert _tables(url) == set()
    upgrade(url)
    assert _tables(url) == set(Base.metadata.tables)


def test_models_and_migrations_do_not_drift(make_database_url: Callable[..., str]) -> None:
    url = make_database_url()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == [], f"models differ from migrations: {differences}"


def test_time_zone_migration_keeps_existing_cohorts(
    make_database_url: Callable[..., str],
) -> None:
    """Cohorts made before 5c1e7a2d9f40 get the time zone UTC, their sessions no print date;
    downgrading drops both columns again and keeps the rows."""
    url = make_database_url(migrate=False)
    upgrade(url, "b330c9c477fe")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO cohorts (id, name, program_id, program, language, created_at) "
                "VALUES (1, 'Old cohort', 'p', '{}', 'it', '2026-01-01 00:00:00+00:00')"
            ))
            connection.execute(text(
                "INSERT INTO sessions (id, cohort_id, number, title, opens_on, deadline, status, "
                "created_at) VALUES (1, 1, 1, 'S1', '2026-01-01', '2026-01-08 23:59:00+00:00', "
                "'closed', '2026-01-01 00:00:00+00:00')"
            ))
        upgrade(url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT time_zone FROM cohorts")).scalar_one() == "UTC"
            assert connection.execute(
                text("SELECT pack_printed_at FROM sessions")).scalar_one() is None
        downgrade(url, "b330c9c477fe")
        columns = {c["name"] for c in inspect(engine).get_columns("cohorts")}
        assert "time_zone" not in columns
        with engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM cohorts")).scalar_one() == "Old cohort"
    finally:
        engine.dispose()
