"""The reports API that the participant and facilitator endpoints call.

Each function gathers its inputs in the caller's database session, looks the
PDF up in the shared cache and renders it in the process pool on a miss.
Nothing here commits: the caller's unit of work does. Endpoints that only
read may pass a read session; the cache write is then best effort.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from fastapi import Request, Response
from sqlalchemy.orm import Session

from app.cohorts.models import CohortSession
from app.config import Settings
from app.participation.models import Submission
from app.reports import cache, pool
from app.reports.formatting import Formatter
from app.reports.inputs import group_inputs, individual_inputs, submitted
from app.reports.pack import Job, render_all, render_pack
from app.reports.render import build_html, render_report

PDF = "application/pdf"
ZIP = "application/zip"


@dataclass
class RenderedPDF:
    content: bytes
    etag: str
    filename: str
    media_type: str = PDF


def _etag(key: str) -> str:
    return f'"{key[:40]}"'


def slug(text: str, limit: int = 40) -> str:
    """ASCII file-name part: "Università Ça va" -> "universita-ca-va"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:limit].strip("-") or "report"


def _base_name(cohort_session: CohortSession) -> str:
    return f"wellspring-{slug(cohort_session.cohort.name)}-session-{cohort_session.number}"


# --- one report ------------------------------------------------------------------------


def _cached_or_render(db: Session, kind: str, inputs: dict[str, Any], settings: Settings, *,
                      session_id: int, participant_id: int | None) -> tuple[bytes, str]:
    key = cache.cache_key(kind, inputs)
    content = cache.lookup(db, key)
    if content is None:
        content = pool.run(settings.render_workers, render_report, kind, inputs, True).pdf
        cache.store(db, key, kind, content, session_id=session_id, participant_id=participant_id)
    return content, key


def individual_report(db: Session, submission: Submission, *, settings: Settings) -> RenderedPDF:
    inputs = individual_inputs(db, submission, settings)
    content, key = _cached_or_render(db, "individual", inputs, settings,
                                     session_id=submission.session_id,
                                     participant_id=submission.participant_id)
    cohort_session = db.get_one(CohortSession, submission.session_id)
    name = slug(inputs["participant"]["name"])
    return RenderedPDF(content, _etag(key), f"{_base_name(cohort_session)}-{name}.pdf")


def individual_report_html(db: Session, submission: Submission, *, settings: Settings) -> str:
    """The same report as an HTML fragment for the participant's page (styles included)."""
    inputs = individual_inputs(db, submission, settings)
    return build_html("individual", inputs, screen=True)


def group_report(db: Session, cohort_session: CohortSession, *, settings: Settings) -> RenderedPDF:
    inputs = group_inputs(db, cohort_session, settings)
    content, key = _cached_or_render(db, "group", inputs, settings,
                                     session_id=cohort_session.id, participant_id=None)
    return RenderedPDF(content, _etag(key), f"{_base_name(cohort_session)}-group.pdf")


# --- the whole session ----------------------------------------------------------------


def _session_jobs(db: Session, cohort_session: CohortSession,
                  settings: Settings) -> tuple[Job, list[tuple[Job, int]]]:
    group = Job("group", group_inputs(db, cohort_session, settings))
    people = [
        (Job("individual", individual_inputs(db, sub, settings), title=participant.name),
         participant.id)
        for sub, participant in submitted(db, cohort_session)
    ]
    return group, people


def session_pack(db: Session, cohort_session: CohortSession, *, settings: Settings,
                 progress: Callable[[int, int], None] | None = None) -> RenderedPDF:
    """Group report, then every submitted participant's report; numbered throughout."""
    group, people = _session_jobs(db, cohort_session, settings)
    pack_inputs = {"group": group.inputs, "people": [job.inputs for job, _pid in people]}
    key = cache.cache_key("pack", pack_inputs)
    content = cache.lookup(db, key)
    if content is None:
        lang = group.inputs["language"]
        jobs = [Job("group", group.inputs, numbered=False,
                    title=Formatter(lang)._("Group report"))]
        jobs += [Job(job.kind, job.inputs, numbered=False, title=job.title) for job, _ in people]
        content = render_pack(jobs, lang=lang, page_size=settings.page_size,
                              workers=settings.render_workers, progress=progress)
        cache.store(db, key, "pack", content, session_id=cohort_session.id, participant_id=None)
    elif progress:
        progress(len(people) + 1, len(people) + 1)
    return RenderedPDF(content, _etag(key), f"{_base_name(cohort_session)}-pack.pdf")


class ZipEntry(NamedTuple):
    name: str
    key: str
    job: Job
    participant_id: int | None


def session_zip(db: Session, cohort_session: CohortSession, *, settings: Settings) -> RenderedPDF:
    """The group report and each participant's report as separate PDFs in one ZIP.

    The PDFs are the same (and share the cache with) the single downloads;
    the missing ones render in parallel.
    """
    group, people = _session_jobs(db, cohort_session, settings)
    base = _base_name(cohort_session)
    entries = [ZipEntry(f"{base}-group.pdf", cache.cache_key("group", group.inputs), group, None)]
    seen: set[str] = set()
    for job, participant_id in people:
        name = f"{base}-{slug(job.title)}.pdf"
        if name in seen:  # two participants with the same name
            name = f"{base}-{slug(job.title)}-{participant_id}.pdf"
        seen.add(name)
        entries.append(
            ZipEntry(name, cache.cache_key("individual", job.inputs), job, participant_id)
        )

    contents: dict[str, bytes] = {}
    missing: list[ZipEntry] = []
    for entry in entries:
        found = cache.lookup(db, entry.key)
        if found is None:
            missing.append(entry)
        else:
            contents[entry.name] = found
    rendered = render_all([entry.job for entry in missing], workers=settings.render_workers)
    for entry, doc in zip(missing, rendered, strict=True):
        contents[entry.name] = doc.pdf
        cache.store(db, entry.key, entry.job.kind, doc.pdf, session_id=cohort_session.id,
                    participant_id=entry.participant_id)

    buffer = io.BytesIO()
    # PDFs are already compressed: store them, and keep the archive byte-stable.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.name, date_time=(2000, 1, 1, 0, 0, 0))
            archive.writestr(info, contents[entry.name])
    etag = hashlib.sha256("".join(entry.key for entry in entries).encode()).hexdigest()
    return RenderedPDF(buffer.getvalue(), _etag(etag), f"{base}-reports.zip", media_type=ZIP)


# --- erasure and HTTP ---------------------------------------------------------------------


def invalidate_participant(db: Session, participant_id: int) -> None:
    cache.invalidate_participant(db, participant_id)


def invalidate_session(db: Session, session_id: int) -> None:
    cache.invalidate_session(db, session_id)


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = [part.strip() for part in header.split(",")]
    return "*" in candidates or any(c.removeprefix("W/") == etag for c in candidates)


def pdf_response(request: Request, rendered: RenderedPDF, *, inline: bool = True) -> Response:
    """The PDF with its ETag; 304 when the browser already has this version.

    private: the report is personal, so no shared cache may keep it; no-cache:
    the browser revalidates each time, and the ETag makes that a 304.
    """
    headers = {"ETag": rendered.etag, "Cache-Control": "private, no-cache"}
    if _etag_matches(request.headers.get("if-none-match"), rendered.etag):
        return Response(status_code=304, headers=headers)
    disposition = "inline" if inline else "attachment"
    headers["Content-Disposition"] = f'{disposition}; filename="{rendered.filename}"'
    return Response(rendered.content, media_type=rendered.media_type, headers=headers)
