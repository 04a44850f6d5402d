"""Render many reports at once (in the pool) and assemble the session pack.

The pack is a cover, the group report, then every participant's report, each
starting on a new page. Every report is the same PDF as its single download
(and shares its cache entry): it numbers its own pages "page X of Y" and names
its owner in the running header, so the pack only merges them, adds the cover
with each report's page range, and bookmarks each report. Nothing is written
into the PDFs' internals.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from pikepdf import Dictionary, Name, ObjectStreamMode, OutlineItem, Pdf, String

from app.reports.rendering import pool
from app.reports.rendering.render import RenderedDocument, render_report

Progress = Callable[[int, int], None]
MAX_COVER_ATTEMPTS = 3  # a long cover may take a second page, which moves every range


@dataclass(frozen=True)
class Job:
    kind: str
    inputs: dict[str, Any]
    title: str = ""  # the pack's bookmark and cover line for this report


def _render_weight(job: Job) -> int:
    """A rough cost of rendering ``job``: the contacts and ties its map draws (0 if none)."""
    drawn = job.inputs.get("map")
    if not isinstance(drawn, dict):
        return 0
    return len(drawn.get("contacts") or ()) + len(drawn.get("ties") or ())


def _in_order(jobs: Sequence[Job], workers: int,
              progress: Progress | None) -> Iterator[RenderedDocument]:
    """Yield each job's document in job order, rendering in the pool when workers > 0.

    The pool gets the biggest maps first (longest-processing-time-first): the last
    jobs to start are then the shortest, so the workers finish close together instead
    of one idling while the other renders a big report alone.
    ``progress(done, total)`` counts finished renders, whatever their order.
    """
    total = len(jobs)
    if workers <= 0:
        for index, job in enumerate(jobs):
            document = render_report(job.kind, job.inputs)
            if progress:
                progress(index + 1, total)
            yield document
        return
    futures: dict[int, Future[RenderedDocument]] = {}
    for index in sorted(range(total), key=lambda i: _render_weight(jobs[i]), reverse=True):
        futures[index] = pool.submit(workers, render_report, jobs[index].kind,
                                     jobs[index].inputs)
    reported = 0
    for index in range(total):
        document = futures[index].result()
        done = sum(1 for f in futures.values() if f.done())
        if progress and done > reported:
            reported = done
            progress(done, total)
        yield document


def render_all(jobs: Sequence[Job], *, workers: int,
               progress: Progress | None = None) -> list[RenderedDocument]:
    return list(_in_order(jobs, workers, progress))


@dataclass(frozen=True)
class PackPart:
    title: str
    pdf: bytes
    pages: int | None = None  # known when just rendered or cached; counted if None


# What the cover prints (running header, masthead, page size): the render worker gets
# these, not the group's maps.
COVER_KEYS = ("kind", "program", "language", "page_size", "cohort", "session", "as_of",
              "facilitator_copy")


def _cover_inputs(cover_inputs: dict[str, Any], titles: Sequence[str],
                  counts: Sequence[int], cover_pages: int) -> tuple[dict[str, Any], list[int]]:
    """The cover's inputs with each part's page range, counted after ``cover_pages``."""
    entries: list[dict[str, Any]] = []
    starts: list[int] = []
    first = cover_pages + 1
    for title, count in zip(titles, counts, strict=True):
        entries.append({"title": title, "first": first, "last": first + count - 1})
        starts.append(first)
        first += count
    return {**cover_inputs, "entries": entries}, starts


def render_cover(titles: Sequence[str], cover_inputs: dict[str, Any],
                 counts: Sequence[int]) -> tuple[RenderedDocument, list[int]]:
    """The cover, and the pack page on which each part starts (after the cover)."""
    cover_pages = 1
    inputs, starts = _cover_inputs(cover_inputs, titles, counts, cover_pages)
    cover = render_report("cover", inputs)
    for _attempt in range(MAX_COVER_ATTEMPTS - 1):
        if cover.pages == cover_pages:
            break
        # A long cover took more pages than counted: every range moves by as many.
        cover_pages = cover.pages
        inputs, starts = _cover_inputs(cover_inputs, titles, counts, cover_pages)
        cover = render_report("cover", inputs)
    return cover, starts


def _count_and_render_cover(parts: Sequence[PackPart], cover_inputs: dict[str, Any],
                            ) -> tuple[RenderedDocument, list[int]]:
    """render_cover for parts of unknown length: a pool job that counts their pages first,
    so that it starts at once while the caller opens and merges the same parts."""
    return render_cover([part.title for part in parts], cover_inputs, _page_counts(parts))


def _page_counts(parts: Sequence[PackPart]) -> list[int]:
    return [part.pages if part.pages is not None else len(Pdf.open(io.BytesIO(part.pdf)).pages)
            for part in parts]


def assemble_pack(parts: Sequence[PackPart], cover_inputs: dict[str, Any], *,
                  workers: int = 0) -> bytes:
    """Cover + parts, merged as they are (qpdf, through pikepdf), with a bookmark per part.

    ``cover_inputs`` are the group report's inputs; the cover adds each part's
    page range in the pack, counted after the cover itself. With ``workers`` the
    cover renders in the pool while this process opens and merges the parts; when
    every part's page count is known (just rendered, or kept with the cache), the
    worker gets only the titles and counts, not the PDFs.
    """
    shown = {key: cover_inputs[key] for key in COVER_KEYS if key in cover_inputs}
    titles = [part.title for part in parts]
    pending: Future[tuple[RenderedDocument, list[int]]] | None = None
    if workers > 0 and all(part.pages is not None for part in parts):
        pending = pool.submit(workers, render_cover, titles, shown, _page_counts(parts))
    elif workers > 0:
        pending = pool.submit(workers, _count_and_render_cover, parts, shown)
    sources = [Pdf.open(io.BytesIO(part.pdf)) for part in parts]
    pack = Pdf.new()
    for source in sources:
        pack.pages.extend(source.pages)
    cover, starts = (pending.result() if pending else
                     render_cover(titles, shown, [len(source.pages) for source in sources]))
    front = Pdf.open(io.BytesIO(cover.pdf))
    for index, page in enumerate(front.pages):
        pack.pages.insert(index, page)

    with pack.open_outline() as outline:
        for part, start in zip(parts, starts, strict=True):
            outline.root.append(OutlineItem(part.title, start - 1))
    # The merged pack keeps each part's pages, not their structure trees; say at least
    # what it is and in which language.
    pack.docinfo[Name.Title] = cover.title
    pack.Root.Lang = String(cover_inputs["language"])
    pack.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    out = io.BytesIO()
    pack.save(out, object_stream_mode=ObjectStreamMode.generate, deterministic_id=True)
    return out.getvalue()
