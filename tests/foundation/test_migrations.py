"""The Alembic history builds the models' schema, both ways, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

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
