"""``wellspring report pack SESSION_ID -o FILE``: the session's printable pack.

Registered by ``app.cli``. The participants' reports render in parallel in the
render pool while a progress bar runs on stderr (plain "reports ready: 3/31"
lines when stderr is not a terminal); stdout gets one line saying
what was written. A bad session id or output path exits 2 with one line.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import SQLAlchemyError

from app.core.config import SettingsError, get_settings


def _fail(reason: str) -> NoReturn:
    typer.echo(f"error: {' '.join(reason.split())}", err=True)
    raise typer.Exit(2)


def _progress_lines() -> Callable[[int, int], None]:
    said: set[tuple[int, int]] = set()

    def say(done: int, total: int) -> None:
        if (done, total) not in said:
            said.add((done, total))
            typer.echo(f"reports ready: {done}/{total}", err=True)

    return say


def pack(session_id: int, output: Path = typer.Option(..., "-o", "--output")) -> None:
    """Render a session's pack: the group report, then every submitted participant's report."""
    from app.core.db import Database
    from app.reports.rendering.pool import shutdown_pool
    from app.reports.service import session_pack
    from app.sessions.models import CohortSession
    from app.sessions.service import mark_pack_printed

    try:
        settings = get_settings()
    except SettingsError as exc:
        _fail(str(exc))
    target = output.expanduser()
    if target.is_dir():
        _fail(f"--output: {target} is a directory; give a file name such as pack.pdf")
    if not target.parent.is_dir():
        _fail(f"--output: directory {target.parent} does not exist")

    database = Database(settings.database_url)
    console = Console(stderr=True)
    try:
        with database.session() as db:
            cohort_session = db.get(CohortSession, session_id)
            if cohort_session is None:
                _fail(f"SESSION_ID: there is no session {session_id}")
            if console.is_terminal:
                with Progress(
                    TextColumn("rendering reports"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=True,
                ) as bar:
                    task = bar.add_task("pack", total=None)

                    def advance(done: int, total: int) -> None:
                        bar.update(task, completed=done, total=total)

                    rendered = session_pack(db, cohort_session, settings=settings,
                                            progress=advance)
            else:
                # Not a terminal (a log, CI, a pipe): one plain line per step instead of a bar.
                rendered = session_pack(db, cohort_session, settings=settings,
                                        progress=_progress_lines())
    except SQLAlchemyError as exc:
        _fail(f"database: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
    finally:
        shutdown_pool()
        database.dispose()

    # Write next to the target and rename, so a failed run never leaves half a PDF.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".pack-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(rendered.content)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        _fail(f"--output: cannot write {target}: {exc.strerror}")
    # Written: the pack counts as printed, so a closed session now stays closed.
    database = Database(settings.database_url)
    try:
        with database.session() as db:
            mark_pack_printed(db, session_id)
    except SQLAlchemyError as exc:
        _fail(f"database: the pack was written, but not recorded as printed: "
              f"{exc.__class__.__name__}")
    finally:
        database.dispose()
    typer.echo(f"wrote {target} ({len(rendered.content) // 1024} KiB)")
