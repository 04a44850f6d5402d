"""`wellspring purge`: enforce RETENTION_MONTHS.

Registered by app/cli/__init__.py. Prints a JSON report of the cohorts that are
(or, with --dry-run, would be) erased; the deletion is one transaction, so an
interrupted purge erases nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import typer

from app.cli.common import database_session, load_settings, migrate


def purge(dry_run: bool = typer.Option(False, "--dry-run", help="List, do not delete.")) -> None:
    """Erase cohorts whose last session's deadline is older than RETENTION_MONTHS."""
    from app.privacy.service import purge_expired

    settings = load_settings()
    migrate(settings)
    with database_session(settings) as (_, session):
        report = purge_expired(
            session,
            datetime.now(UTC),
            settings.retention_months,
            dry_run=dry_run,
        )
    typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    action = "would erase" if dry_run else "erased"
    typer.echo(
        f"{action} {len(report.cohorts)} cohort(s) older than {settings.retention_months} "
        f"months (last deadline before {report.cutoff:%Y-%m-%d})",
        err=True,
    )
