"""The `wellspring` command line.

Invalid input exits with code 2 and a one-line reason on stderr.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from app.cli.analyze import analyze
from app.cli.common import database_session, fail, load_settings, migrate
from app.cli.purge import purge
from app.cli.report import pack
from app.cli.session import remind
from app.core.config import SettingsError
from app.core.db import create_private_file
from app.core.errors import Invalid

cli = typer.Typer(
    name="wellspring",
    help="Wellspring: the network-map exercise for leadership cohorts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
facilitator_cli = typer.Typer(help="Facilitator accounts.", no_args_is_help=True)
cohort_cli = typer.Typer(help="Cohorts.", no_args_is_help=True)
report_cli = typer.Typer(help="PDF reports.", no_args_is_help=True)
session_cli = typer.Typer(help="Sessions.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(facilitator_cli, name="facilitator")
cli.add_typer(cohort_cli, name="cohort")
cli.add_typer(report_cli, name="report")
cli.add_typer(session_cli, name="session")
cli.command("analyze", help="Analyse one map (JSON) and print its measures and gaps.")(analyze)
cli.command("purge", help="Erase cohorts past the retention period (RETENTION_MONTHS).")(purge)
report_cli.command("pack", help="Render a session's printable pack to a PDF file.")(pack)
session_cli.command("remind", help="Email everyone who has not submitted their link again.")(
    remind
)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Migrate the database, then serve the web app."""
    import uvicorn

    from app.core.i18n import CatalogsMissing, ensure_catalogs
    from app.core.logs import uvicorn_log_config
    from app.core.ratelimit import prepare_counters

    settings = load_settings()
    try:
        ensure_catalogs()
    except CatalogsMissing as exc:
        fail(str(exc))
    migrate(settings)
    prepare_counters(settings)
    typer.echo(f"Wellspring on http://{host}:{port} ({settings.environment})", err=True)
    uvicorn.run(
        "app.main:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=uvicorn_log_config(),
        # X-Forwarded-For is believed only from these proxies: rate limits count per
        # client address, and a spoofed header must not reset them.
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # The default 5 s lets a busy two-core machine SIGKILL healthy workers.
        timeout_worker_healthcheck=30,
    )


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration (alembic upgrade head)."""
    settings = load_settings()
    migrate(settings)
    typer.echo("database is up to date", err=True)


@facilitator_cli.command("create")
def facilitator_create(
    email: Annotated[str, typer.Option(prompt=True, help="Sign-in email.")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
) -> None:
    """Create a facilitator account."""
    from app.facilitators.service import create_facilitator

    settings = load_settings()
    migrate(settings)
    try:
        with database_session(settings) as (_, session):
            facilitator = create_facilitator(session, email=email, password=password, name=name)
            typer.echo(json.dumps({"id": facilitator.id, "email": facilitator.email}))
    except Invalid as exc:
        fail(str(exc))


@cohort_cli.command("import")
def cohort_import(
    file: Annotated[Path, typer.Argument(help="A cohort YAML file, see cohorts/example/.")],
    facilitator: Annotated[
        list[str] | None, typer.Option(help="Also give this facilitator (email) access.")
    ] = None,
) -> None:
    """Create a cohort and its roster from a YAML file."""
    from app.cohorts.service import import_cohort_file
    from app.facilitators.repository import get_by_email

    settings = load_settings()
    if not file.is_file():
        fail(f"FILE: {file} does not exist")
    migrate(settings)
    try:
        with database_session(settings) as (_, session):
            extra = []
            for email in facilitator or []:
                found = get_by_email(session, email)
                if found is None:
                    raise Invalid([f"--facilitator: no facilitator with email {email}"])
                extra.append(found)
            cohort = import_cohort_file(session, file, extra_facilitators=extra)
            typer.echo(
                json.dumps(
                    {
                        "cohort_id": cohort.id,
                        "name": cohort.name,
                        "participants": len(cohort.participants),
                    },
                    ensure_ascii=False,
                )
            )
    except Invalid as exc:
        fail(str(exc).replace("\n", " "))


@cli.command()
def demo(
    base_url: Annotated[
        str | None, typer.Option(help="Base URL for the printed links (default: BASE_URL).")
    ] = None,
) -> None:
    """Create demo data (idempotent) and print the logins and links as JSON."""
    from app.demo import demo_summary, ensure_demo

    settings = load_settings()
    if base_url:
        settings = settings.model_copy(update={"base_url": base_url.rstrip("/")})
    migrate(settings)
    with database_session(settings) as (_, session):
        result = ensure_demo(session, settings)
        summary = demo_summary(session, settings, result)
    typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))


@cli.command()
def backup(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Backup file (default: timestamped).")
    ] = None,
) -> None:
    """Copy the SQLite database with the online backup API (safe while serving)."""
    settings = load_settings()
    url = make_url(settings.database_url)
    if not settings.is_sqlite:
        plain_url = url.set(drivername="postgresql").render_as_string(hide_password=True)
        fail(
            "backup: this database is PostgreSQL; use pg_dump, e.g. "
            f"pg_dump --format=custom --file=wellspring.dump '{plain_url}' (see README)"
        )
    source = url.database
    if not source or source == ":memory:" or not Path(source).is_file():
        fail(f"DATABASE_URL: no SQLite file at {source!r}")
    target = output or Path(f"wellspring-backup-{datetime.now(UTC):%Y%m%d-%H%M%S}.db")
    if target.exists():
        fail(f"--output: {target} already exists; choose another name")
    create_private_file(str(target))  # a backup holds everyone's maps: owner-only
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    typer.echo(str(target))


def main() -> None:
    try:
        cli()
    except SettingsError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
