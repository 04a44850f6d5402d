"""What every command shares: settings, a unit of work, migrations and the exit-2 rule."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core.config import Settings, SettingsError, get_settings
from app.core.db import Database
from app.core.migrate import upgrade


def fail(reason: str) -> NoReturn:
    typer.echo(f"error: {reason}", err=True)
    raise typer.Exit(2)


def load_settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        fail(str(exc).replace("\n", " "))


@contextmanager
def database_session(settings: Settings) -> Iterator[tuple[Database, Session]]:
    database = Database(settings.database_url)
    try:
        with database.session() as session:
            yield database, session
    finally:
        database.dispose()


def migrate(settings: Settings) -> None:
    try:
        upgrade(settings.database_url)
    except Exception as exc:  # a database that cannot be reached is an input problem here
        fail(f"DATABASE_URL: cannot migrate {make_url(settings.database_url)!r}: {exc}")


