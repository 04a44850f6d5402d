"""The reports service: cache, invalidation, ETag/304, pack and ZIP."""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.participation.models import Submission
from app.reports import repository as cache
from app.reports import service
from app.reports.api import pdf_response
from app.reports.models import CachedReport
from app.reports.rendering import pool
from app.sessions.models import CohortSession
from tests.factories import build_cohort
from tests.reports.report_support import pdf_pages, squash


def _submissions(db: Session, cohort_session: CohortSession) -> list[Submission]:
    return list(db.scalars(
        select(Submission).where(Submission.session_id == cohort_session.id)
        .order_by(Submission.id)
    ))


def _rows(db: Session, **where: Any) -> int:
    query = select(func.count()).select_from(CachedReport)
    for name, value in where.items():
        query = query.where(getattr(CachedReport, name) == value)
    return int(db.scalar(query) or 0)


def _no_render(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("rendered although the report was cached")


def test_same_inputs_are_served_from_the_cache(
    db: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort_session = build_cohort(db, participants=1, contacts=8, previous=False)
    submission = _submissions(db, cohort_session)[0]
    first = service.individual_report(db, submission, settings=settings)
    assert first.content.startswith(b"%PDF")
    assert first.filename.endswith(".pdf") and "session-2" in first.filename
    monkeypatch.setattr(pool, "run", _no_render)
    again = service.individual_report(db, submission, settings=settings)
    assert (again.content, again.etag) == (first.content, first.etag)
    assert _rows(db, participant_id=submission.participant_id, kind="individual") == 1


def test_a_changed_map_renders_anew_and_replaces_the_old_row(
    db: Session, settings: Settings
) -> None:
    cohort_session = build_cohort(db, participants=1, contacts=8, previous=False)
    submission = _submissions(db, cohort_session)[0]
    first = service.individual_report(db, submission, settings=settings)
    changed = copy.deepcopy(submission.map)
    changed["contacts"][0]["label"] = "Renamed"
    submission.map = changed
    db.flush()
    second = service.individual_report(db, submission, settings=settings)
    assert second.etag != first.etag
    assert "Renamed" not in "".join(pdf_pages(first.content))
    assert "Renamed" in "".join(pdf_pages(second.content))
    assert _rows(db, participant_id=submission.participant_id, kind="individual") == 1


def test_the_key_covers_inputs_and_template_version(monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = {"map": {"contacts": []}, "language": "en", "page_size": "A4"}
    key = cache.cache_key("individual", inputs)
    assert key == cache.cache_key("individual", dict(reversed(list(inputs.items()))))
    assert key != cache.cache_key("group", inputs)
    assert key != cache.cache_key("individual", {**inputs, "page_size": "Letter"})
    assert key != cache.cache_key("individual", {**inputs, "language": "it"})
    monkeypatch.setattr(cache, "TEMPLATE_VERSION", "0" * 40)
    assert key != cache.cache_key("individual", inputs)


def test_erasure_invalidates(db: Session, settings: Settings) -> None:
    cohort_session = build_cohort(db, participants=3, contacts=8, previous=False)
    submission = _submissions(db, cohort_session)[0]
    service.individual_report(db, submission, settings=settings)
    service.group_report(db, cohort_session, settings=settings)
    assert _rows(db, session_id=cohort_session.id) == 2
    cache.invalidate_participant(db, submission.participant_id)
    assert _rows(db, session_id=cohort_session.id) == 0

    service.individual_report(db, submission, settings=settings)
    service.group_report(db, cohort_session, settings=settings)
    cache.invalidate_session(db, cohort_session.id)
    assert _rows(db, session_id=cohort_session.id) == 0


def test_pdf_response_sends_etag_and_answers_304() -> None:
    rendered = service.RenderedPDF(b"%PDF-1.7 fake", '"abc123"', "wellspring-report.pdf")
    app = FastAPI()

    @app.get("/inline")
    def inline(request: Request) -> Response:
        return pdf_response(request, rendered)

    @app.get("/download")
    def download(request: Request) -> Response:
        return pdf_response(request, rendered, inline=False)

    client = TestClient(app)
    response = client.get("/inline")
    assert response.status_code == 200
    assert response.content == rendered.content
    assert response.headers["etag"] == '"abc123"'
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="wellspring-report.pdf"'
    assert "private" in response.headers["cache-control"]
    for header in ('"abc123"', 'W/"abc123"', '"other", "abc123"', "*"):
        cached = client.get("/inline", headers={"If-None-Match": header})
        assert cached.status_code == 304, header
        assert cached.content == b""
        assert cached.headers["etag"] == '"abc123"'
    assert client.get("/inline", headers={"If-None-Match": '"stale"'}).status_code == 200
    assert client.get("/download").headers["content-disposition"].startswith("attachment;")


def _relabel(db: Session, cohort_session: CohortSession) -> None:
    for owner, submission in enumerate(_submissions(db, cohort_session)):
        network = copy.deepcopy(submission.map)
        for index, contact in enumerate(network["contacts"]):
            contact["label"] = f"Qzx{owner}L{index}"
        submission.map = network
    db.flush()


def test_zip_and_pack(db: Session, settings: Settings) -> None:
    cohort_session = build_cohort(db, participants=4, contacts=10)
    _relabel(db, cohort_session)

    archive = service.session_zip(db, cohort_session, settings=settings)
    assert archive.media_type == "application/zip"
    assert archive.filename.endswith("-reports.zip")
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        names = files.namelist()
        pdfs = {name: files.read(name) for name in names}
    assert len(names) == 5 and names[0].endswith("-group.pdf")
    assert all(content.startswith(b"%PDF") for content in pdfs.values())
    assert "Qzx" not in squash("".join(pdf_pages(pdfs[names[0]])))
    page_counts = [len(PdfReader(io.BytesIO(pdfs[name])).pages) for name in names]
    # The cache keeps each PDF's page count: a pack lays out its cover without opening them.
    stored = db.execute(select(CachedReport.pages, CachedReport.content)
                        .where(CachedReport.kind.in_(("group", "individual")))).all()
    assert len(stored) == 5
    assert all(row.pages == len(PdfReader(io.BytesIO(row.content)).pages) for row in stored)

    calls: list[tuple[int, int]] = []
    pack = service.session_pack(db, cohort_session, settings=settings,
                                progress=lambda done, total: calls.append((done, total)))
    assert pack.filename.endswith("-pack.pdf")
    assert calls[-1] == (5, 5)
    pages = pdf_pages(pack.content)
    # A one-page cover, then each report as its single download: same pages, own numbers.
    assert len(pages) == 1 + sum(page_counts)
    cover = pages[0]
    assert "Session pack" in cover and "Group report" in cover
    assert "Qzx" not in squash("\n".join(pages[: 1 + page_counts[0]]))
    start = 1
    for name, count in zip(names, page_counts, strict=True):
        for offset in range(count):
            assert f"page {offset + 1} of {count}" in pages[start + offset], name
        first, last = start + 1, start + count
        assert (f"pages {first}–{last}" if count > 1 else f"page {first}") in cover, name
        if name != names[0]:
            assert "Your network map" in pages[start], name
            assert "Qzx" in squash(pages[start])  # a participant's own report shows their labels
            owner = pages[start].split(" · ", 1)[0].strip()
            # Every page of the report carries its owner's name, so loose pages sort.
            assert all(owner in pages[start + offset] for offset in range(count)), name
        start += count
    outline = PdfReader(io.BytesIO(pack.content)).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[0] == "Group report" and len(titles) == 5
    reader = PdfReader(io.BytesIO(pack.content))
    starts = [reader.get_destination_page_number(item) for item in outline
              if not isinstance(item, list)]
    assert starts == [1 + sum(page_counts[:i]) for i in range(5)]
    # The pack merged the very PDFs the single downloads serve (the cache), unchanged.
    for name, count, first in zip(names, page_counts, starts, strict=True):
        single = PdfReader(io.BytesIO(pdfs[name]))
        assert [p.extract_text() for p in single.pages] == pages[first:first + count]

    # A second request is a cache hit, and says so to a progress bar at once.
    calls.clear()
    again = service.session_pack(db, cohort_session, settings=settings,
                                 progress=lambda done, total: calls.append((done, total)))
    assert again.etag == pack.etag and calls == [(5, 5)]


def test_screen_html_is_a_fragment(db: Session, settings: Settings) -> None:
    cohort_session = build_cohort(db, participants=1, contacts=6, previous=False)
    html = service.individual_report_html(db, _submissions(db, cohort_session)[0],
                                          settings=settings)
    assert html.lstrip().startswith('<section class="ws-report"')
    assert "<html" not in html and "<svg" in html and "<style>" in html
