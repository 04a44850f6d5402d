"""Reports: gather a report's inputs, find the PDF in the shared cache or render it.

Inputs are everything a report depends on besides the templates: the maps,
names, the program snapshot, the language, the page size and the as-of date.
They are plain, JSON-able data, hashed for the cache key and shipped to a
render worker, so nothing in them may be volatile (no timestamps, no versions).

Each function works in the caller's database session and never commits: the
request's (or CLI command's) unit of work does. On a cache miss the PDF renders
in the process pool; the cache write is best effort.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from markupsafe import Markup
from sqlalchemy.orm import Session

from app.analysis import (
    Ego,
    MapAnalysis,
    NetworkMap,
    Program,
    analyze_map,
    compare_maps,
    review_answers,
)
from app.cohorts.models import Cohort, Participant
from app.core.config import Settings
from app.core.i18n import normalize_language
from app.participation import repository as submissions
from app.participation.models import Submission
from app.reports import repository as cache
from app.reports.medians import session_medians
from app.reports.rendering import pool
from app.reports.rendering.formatting import Formatter, texts
from app.reports.rendering.pack import Job, PackPart, build_pack, render_all
from app.reports.rendering.render import RenderedDocument, build_html, render_report
from app.reports.rendering.worksheet import render_worksheet
from app.sessions import repository as sessions
from app.sessions.models import CohortSession

logger = logging.getLogger("wellspring.reports")

PDF = "application/pdf"
ZIP = "application/zip"


# --- inputs ---------------------------------------------------------------------------


def _common(cohort: Cohort, cohort_session: CohortSession, settings: Settings) -> dict[str, Any]:
    return {
        "program": cohort.program,
        "language": normalize_language(cohort.language),
        "page_size": settings.page_size,
        "cohort": {"name": cohort.name},
        "session": {"number": cohort_session.number, "title": cohort_session.title},
        "as_of": cohort_session.as_of().isoformat(),
    }


def participant_ego(participant: Participant) -> Ego:
    """The participant's own function and industry from the roster, for the analysis."""
    return Ego(function=participant.function, industry=participant.industry)


def individual_inputs(db: Session, submission: Submission, settings: Settings,
                      language: str | None = None, *,
                      medians: dict[str, float] | None = None) -> dict[str, Any]:
    """``language`` is the reader's choice on their own link; the pack uses the cohort's.

    ``medians``: the session's (session_medians), when the caller already has them.
    """
    cohort_session = db.get_one(CohortSession, submission.session_id)
    participant = db.get_one(Participant, submission.participant_id)
    cohort = cohort_session.cohort
    inputs = _common(cohort, cohort_session, settings)
    if language:
        inputs["language"] = normalize_language(language, inputs["language"])
    inputs.update(
        cohort_medians=session_medians(db, cohort_session) if medians is None else medians,
        kind="individual",
        participant={
            "id": participant.id,
            "name": participant.name,
            "function": participant.function,
            "industry": participant.industry,
        },
        map=submission.map,
        status=submission.status,
        commitment_review=submission.commitment_review,
        previous=None,
    )
    before = sessions.previous_session(db, cohort_session)
    if before is not None:
        previous_map = submissions.submitted_map(db, before.id, participant.id)
        if previous_map is not None:
            inputs["previous"] = {"map": previous_map, "as_of": before.as_of().isoformat()}
    return inputs


def group_inputs(db: Session, cohort_session: CohortSession, settings: Settings) -> dict[str, Any]:
    """No names here: the group report must not be able to show who is who."""
    inputs = _common(cohort_session.cohort, cohort_session, settings)
    inputs.update(
        kind="group",
        participation=submissions.participation(db, cohort_session.id),
        maps=_maps(db, cohort_session),
        egos=_egos(db, cohort_session),
        # Each participant's ticks on last session's commitments (kept / not kept / not sure),
        # without the commitment texts, which may name people.
        reviews={
            str(submission.participant_id): review_answers(submission.commitment_review)
            for submission, _ in submissions.submitted_with_participants(db, cohort_session.id)
        },
        previous=None,
    )
    before = sessions.previous_session(db, cohort_session)
    # The cohort's first session (whatever its number) asks nothing about last month.
    inputs["session"]["first"] = before is None
    if before is not None:
        previous_maps = _maps(db, before)
        if previous_maps:
            inputs["previous"] = {"maps": previous_maps, "as_of": before.as_of().isoformat()}
    return inputs


def _maps(db: Session, cohort_session: CohortSession) -> dict[str, Any]:
    return {
        str(submission.participant_id): submission.map
        for submission, _ in submissions.submitted_with_participants(db, cohort_session.id)
    }


def _egos(db: Session, cohort_session: CohortSession) -> dict[str, dict[str, str | None]]:
    """Each submitter's own function and industry (no names), keyed like _maps."""
    return {
        str(participant.id): {"function": participant.function, "industry": participant.industry}
        for _, participant in submissions.submitted_with_participants(db, cohort_session.id)
    }


# --- rendering ------------------------------------------------------------------------


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
        document = pool.run(settings.render_workers, render_report, kind, inputs)
        content = document.pdf
        cache.store(db, key, kind, content, session_id=session_id, participant_id=participant_id,
                    pages=document.pages)
    return content, key


def individual_report(db: Session, submission: Submission, *, settings: Settings,
                      language: str | None = None) -> RenderedPDF:
    inputs = individual_inputs(db, submission, settings, language)
    content, key = _cached_or_render(db, "individual", inputs, settings,
                                     session_id=submission.session_id,
                                     participant_id=submission.participant_id)
    cohort_session = db.get_one(CohortSession, submission.session_id)
    name = slug(inputs["participant"]["name"])
    return RenderedPDF(content, _etag(key), f"{_base_name(cohort_session)}-{name}.pdf")


def individual_report_html(db: Session, submission: Submission, *, settings: Settings,
                           language: str | None = None) -> str:
    """The same report as an HTML fragment for the participant's page (styles included)."""
    inputs = individual_inputs(db, submission, settings, language)
    return build_html("individual", inputs, screen=True)


def worksheet(db: Session, cohort_session: CohortSession, *, settings: Settings) -> RenderedPDF:
    """The blank worksheet of a session: the program's lists in the cohort's language.

    Its inputs hold no participant data, only the program, the language and the
    session's place in it; cached like every report.
    """
    inputs = _common(cohort_session.cohort, cohort_session, settings)
    inputs["kind"] = "worksheet"
    key = cache.cache_key("worksheet", inputs)
    content = cache.lookup(db, key)
    if content is None:
        content = pool.run(settings.render_workers, render_worksheet, inputs).pdf
        cache.store(db, key, "worksheet", content, session_id=cohort_session.id,
                    participant_id=None)
    return RenderedPDF(content, _etag(key), f"{_base_name(cohort_session)}-worksheet.pdf")


def group_report(db: Session, cohort_session: CohortSession, *, settings: Settings,
                 facilitator_copy: bool = False) -> RenderedPDF:
    """The group report; ``facilitator_copy`` shows unsuppressed counts, marked on every page."""
    inputs = group_inputs(db, cohort_session, settings)
    if facilitator_copy:
        inputs["facilitator_copy"] = True
    content, key = _cached_or_render(db, "group", inputs, settings,
                                     session_id=cohort_session.id, participant_id=None)
    suffix = "-group-facilitator" if facilitator_copy else "-group"
    return RenderedPDF(content, _etag(key), f"{_base_name(cohort_session)}{suffix}.pdf")


# --- the whole session ----------------------------------------------------------------


def _session_jobs(db: Session, cohort_session: CohortSession,
                  settings: Settings) -> tuple[Job, list[tuple[Job, int]]]:
    group = Job("group", group_inputs(db, cohort_session, settings))
    medians = session_medians(db, cohort_session)
    people = [
        (Job("individual", individual_inputs(db, sub, settings, medians=medians),
             title=participant.name),
         participant.id)
        for sub, participant in submissions.submitted_with_participants(db, cohort_session.id)
    ]
    return group, people


class ReportEntry(NamedTuple):
    name: str  # the file name in the ZIP
    key: str  # the cache key, shared with the single download
    job: Job
    participant_id: int | None


def _report_entries(db: Session, cohort_session: CohortSession,
                    settings: Settings) -> list[ReportEntry]:
    """The group report, then each submitted participant's, as single downloads make them."""
    group, people = _session_jobs(db, cohort_session, settings)
    base = _base_name(cohort_session)
    lang = group.inputs["language"]
    group = Job(group.kind, group.inputs, title=Formatter(lang)._("Group report"))
    entries = [ReportEntry(f"{base}-group.pdf", cache.cache_key("group", group.inputs), group,
                           None)]
    seen: set[str] = set()
    for job, participant_id in people:
        name = f"{base}-{slug(job.title)}.pdf"
        if name in seen:  # two participants with the same name
            name = f"{base}-{slug(job.title)}-{participant_id}.pdf"
        seen.add(name)
        entries.append(
            ReportEntry(name, cache.cache_key("individual", job.inputs), job, participant_id)
        )
    return entries


def _cached_parts(db: Session, entries: list[ReportEntry]) -> list[PackPart | Job]:
    """Each entry as its cached PDF (with its page count), or as the job that renders it."""
    items: list[PackPart | Job] = []
    for entry in entries:
        found = cache.lookup_document(db, entry.key)
        items.append(entry.job if found is None
                     else PackPart(entry.job.title, found.content, found.pages))
    return items


def _cache_rendered(db: Session, cohort_session: CohortSession, entries: list[ReportEntry],
                    rendered: dict[int, RenderedDocument]) -> None:
    for index, document in rendered.items():
        entry = entries[index]
        cache.store(db, entry.key, entry.job.kind, document.pdf, session_id=cohort_session.id,
                    participant_id=entry.participant_id, pages=document.pages)


def _documents(db: Session, cohort_session: CohortSession, settings: Settings,
               entries: list[ReportEntry]) -> list[bytes]:
    """Each entry's PDF: from the cache, or rendered in the pool (and cached) if missing."""
    items = _cached_parts(db, entries)
    missing = [index for index, item in enumerate(items) if isinstance(item, Job)]
    documents = render_all([entries[index].job for index in missing],
                           workers=settings.render_workers)
    rendered = dict(zip(missing, documents, strict=True))
    _cache_rendered(db, cohort_session, entries, rendered)
    return [rendered[index].pdf if isinstance(item, Job) else item.pdf
            for index, item in enumerate(items)]


def session_pack(db: Session, cohort_session: CohortSession, *, settings: Settings,
                 progress: Callable[[int, int], None] | None = None) -> RenderedPDF:
    """Cover, group report, then every submitted participant's report, merged as cached.

    Only the reports missing from the cache are rendered (in the pool, and cached);
    the pack itself is cached under the keys of its parts. ``progress(done, total)``
    counts the reports ready, cached ones first.
    """
    entries = _report_entries(db, cohort_session, settings)
    key = cache.cache_key("pack", [entry.key for entry in entries])
    content = cache.lookup(db, key)
    if content is None:
        items = _cached_parts(db, entries)
        cached = sum(1 for item in items if isinstance(item, PackPart))
        if progress:
            progress(cached, len(entries))
        content, rendered = build_pack(
            items, cover_inputs=entries[0].job.inputs, workers=settings.render_workers,
            progress=(lambda done, _total: progress(cached + done, len(entries)))
            if progress else None,
        )
        _cache_rendered(db, cohort_session, entries, rendered)
        cache.store(db, key, "pack", content, session_id=cohort_session.id, participant_id=None)
    elif progress:
        progress(len(entries), len(entries))
    return RenderedPDF(content, _etag(key), f"{_base_name(cohort_session)}-pack.pdf")


def session_zip(db: Session, cohort_session: CohortSession, *, settings: Settings) -> RenderedPDF:
    """The group report and each participant's report as separate PDFs in one ZIP.

    The PDFs are the same (and share the cache with) the single downloads;
    the missing ones render in parallel.
    """
    entries = _report_entries(db, cohort_session, settings)
    contents = _documents(db, cohort_session, settings, entries)
    buffer = io.BytesIO()
    # PDFs are already compressed: store them, and keep the archive byte-stable.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for entry, content in zip(entries, contents, strict=True):
            info = zipfile.ZipInfo(entry.name, date_time=(2000, 1, 1, 0, 0, 0))
            archive.writestr(info, content)
    etag = hashlib.sha256("".join(entry.key for entry in entries).encode()).hexdigest()
    base = _base_name(cohort_session)
    return RenderedPDF(buffer.getvalue(), _etag(etag), f"{base}-reports.zip", media_type=ZIP)


# --- the participant's page -------------------------------------------------------------

_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.S | re.I)


def report_html(db: Session, submission: Submission, settings: Settings,
                language: str | None = None) -> Markup | None:
    """The report as an HTML fragment for the page, or None when it cannot be rendered."""
    try:
        fragment = individual_report_html(db, submission, settings=settings, language=language)
    except Exception:
        logger.exception("on-screen report failed for submission %s", submission.id)
        return None
    # The fragment is our own renderer's output, with every value escaped there.
    return Markup(_SCRIPT.sub("", fragment))  # noqa: S704


@dataclass
class OnScreenReport:
    """The analysis core's results, for when the report cannot be rendered."""

    analysis: dict[str, Any]
    labels: dict[str, str]
    change: dict[str, Any] | None


def on_screen_report(
    submission: Submission,
    program: Program,
    as_of: date,
    lang: str,
    previous: Submission | None,
    previous_as_of: date | None,
    ego: Ego | None = None,
) -> OnScreenReport:
    current = NetworkMap.model_validate(submission.map)
    analysis: MapAnalysis = analyze_map(current, program, as_of, ego)
    change = None
    if previous is not None and previous_as_of is not None:
        before = NetworkMap.model_validate(previous.map)
        change = compare_maps(before, current, program, previous_as_of, as_of,
                              review_answers(submission.commitment_review)).to_json(lang)
    return OnScreenReport(
        analysis=analysis.to_json(texts(lang)),
        labels={contact.id: contact.label for contact in current.contacts},
        change=change,
    )
