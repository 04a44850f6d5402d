"""``wellspring session remind SESSION_ID``: remind everyone who has not submitted.

Registered by ``app.cli``. Sends each participant who has not submitted (not
opened, opened, or a draft) their personal link again, over SMTP_URL, and prints
one line per person: whether it went and, if not, why. Exits 0 when every
reminder went, 1 when some failed (the rest went and are recorded), and 2 on bad
input (no such session, no facilitator, email not configured).
"""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import database_session, fail, load_settings
from app.core.mail import MailNotConfigured
from app.participation.progress import progress
from app.sessions import service
from app.sessions.models import CohortSession


def remind(
    session_id: Annotated[int, typer.Argument(help="The session's id (see the session page).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List who would be reminded; send nothing.")
    ] = False,
) -> None:
    """Email a reminder with their link to everyone who has not submitted yet."""
    settings = load_settings()
    with database_session(settings) as (_database, db):
        cohort_session = db.get(CohortSession, session_id)
        if cohort_session is None:
            fail(f"SESSION_ID: there is no session {session_id}")
        facilitators = cohort_session.cohort.facilitators
        if not facilitators:
            fail(f"SESSION_ID: session {session_id}'s cohort has no facilitator to sign it")
        chosen = progress(db, settings, cohort_session).not_submitted()
        if not chosen:
            typer.echo("Everyone has submitted: no reminder to send.")
            return
        if dry_run:
            for invitation in chosen:
                typer.echo(f"would remind: {invitation.participant.name} "
                           f"<{invitation.participant.email}>")
            return
        try:
            outbox = service.compose_links(settings, cohort_session, chosen,
                                           sender=facilitators[0], reminder=True)
        except MailNotConfigured as exc:
            fail(str(exc))
        db.commit()  # no transaction stays open while SMTP talks
        report = service.record_delivery(db, outbox, service.deliver(outbox), reminder=True)
        db.commit()
    for invitation in report.sent:
        typer.echo(f"sent: {invitation.participant.name} <{invitation.participant.email}>")
    for invitation in report.failed:
        typer.echo(f"failed: {invitation.participant.name} <{invitation.participant.email}>: "
                   f"{invitation.email_error}")
    typer.echo(f"{len(report.sent)} sent, {len(report.failed)} failed"
               + (f", {report.skipped} revoked links skipped" if report.skipped else ""),
               err=True)
    if report.failed:
        raise typer.Exit(1)
