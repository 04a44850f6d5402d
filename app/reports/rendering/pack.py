"""Render many reports at once (in the pool) and assemble the session pack.

The pack is a cover, the group report, then every participant's report, each
starting on a new page. Every report is the same PDF as its single download
(and shares its cache entry): it numbers its own pages "page X of Y" and names
its owner in the running header, so the pack only merges them, adds the cover
with each report's page range, and bookmarks each report. Nothing is written
into the PDFs' internals.

With the pool, the reports still missing render there, biggest first; this
process opens each PDF as it arrives, and the cover is laid out by the first
worker to fall idle, so what is left once the last report is in is the merge
and the save.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
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


def _submit_biggest_first(jobs: dict[int, Job],
                          workers: int) -> dict[int, Future[RenderedDocument]]:
    """Submit each job to the pool, the biggest maps first (longest-processing-time-first):
    the last jobs to start are then the shortest, so the workers finish close together
    instead of one idling while the other renders a big report alone."""
    order = sorted(jobs, key=lambda index: _render_weight(jobs[index]), reverse=True)
    return {index: pool.submit(workers, render_report, jobs[index].kind, jobs[index].inputs)
            for index in order}


def render_all(jobs: Sequence[Job], *, workers: int,
               progress: Progress | None = None) -> list[RenderedDocument]:
    """Each job's document, in job order; in the pool when workers > 0.

    ``progress(done, total)`` counts finished renders, whatever their order.
    """
    total = len(jobs)
    if workers <= 0:
        documents = []
        for done, job in enumerate(jobs, start=1):
            documents.append(render_report(job.kind, job.inputs))
            if progress:
                progress(done, total)
        return documents
    futures = _submit_biggest_first(dict(enumerate(jobs)), workers)
    finished: dict[int, RenderedDocument] = {}
    for index, document in _as_completed(futures):
        finished[index] = document
        if progress:
            progress(len(finished), total)
    return [finished[index] for index in range(total)]


def _as_completed(futures: dict[int, Future[RenderedDocument]],
                  on_idle: Callable[[set[int]], None] | None = None,
                  workers: int = 0) -> Iterator[tuple[int, RenderedDocument]]:
    """(index, document) as each render finishes; ``on_idle(still rendering)`` is called
    once, as soon as fewer jobs remain than workers (a worker has nothing left to do)."""
    index_of = {future: index for index, future in futures.items()}
    waiting = set(futures.values())
    idle_called = False
    while waiting:
        if on_idle and not idle_called and len(waiting) < workers:
            idle_called = True
            on_idle({index_of[future] for future in waiting})
        done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
        for future in done:
            yield index_of[future], future.result()


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


def _typical_pages(counts: dict[int, int], items: Sequence[PackPart | Job], index: int) -> int:
    """A guess at the length of report ``index`` before it is rendered: the commonest
    length among the reports of its kind that are (else any report, else 1)."""
    def kind(item: PackPart | Job) -> str | None:
        return item.kind if isinstance(item, Job) else None

    same = [count for other, count in counts.items() if kind(items[other]) == kind(items[index])]
    known = same or list(counts.values()) or [1]
    return max(sorted(set(known)), key=known.count)


def build_pack(items: Sequence[PackPart | Job], cover_inputs: dict[str, Any], *,
               workers: int = 0, progress: Progress | None = None,
               ) -> tuple[bytes, dict[int, RenderedDocument]]:
    """Cover + every item's PDF, merged as they are (qpdf, through pikepdf), with a bookmark
    per item; and the documents rendered on the way, by item index, for the cache.

    An item is a part already rendered (``PackPart``, e.g. from the cache) or a ``Job``
    to render. ``cover_inputs`` are the group report's inputs; the cover lists each
    item's page range in the pack, counted after the cover itself. ``progress(done,
    total)`` counts finished renders.

    With ``workers``, jobs render in the pool while this process opens the PDFs as
    they arrive. The cover renders in the pool too: at once when every length is
    known, else as soon as a worker falls idle, with the reports still rendering
    guessed at their kind's usual length (and laid out again in the rare case the
    guess was wrong).
    """
    shown = {key: cover_inputs[key] for key in COVER_KEYS if key in cover_inputs}
    titles = [item.title for item in items]
    jobs = {index: item for index, item in enumerate(items) if isinstance(item, Job)}
    rendered: dict[int, RenderedDocument] = {}
    sources: dict[int, Pdf] = {}
    counts: dict[int, int] = {index: item.pages for index, item in enumerate(items)
                              if isinstance(item, PackPart) and item.pages is not None}

    def arrived(index: int, document: RenderedDocument) -> None:
        rendered[index] = document
        sources[index] = Pdf.open(io.BytesIO(document.pdf))
        counts[index] = document.pages
        if progress:
            progress(len(rendered), len(jobs))

    def open_parts() -> None:
        for index, item in enumerate(items):
            if isinstance(item, PackPart):
                sources[index] = Pdf.open(io.BytesIO(item.pdf))
                counts.setdefault(index, len(sources[index].pages))

    if workers <= 0:
        open_parts()
        for index, job in jobs.items():
            arrived(index, render_report(job.kind, job.inputs))
        cover, starts = render_cover(titles, shown, [counts[i] for i in range(len(items))])
    else:
        futures = _submit_biggest_first(jobs, workers)
        pending: Future[tuple[RenderedDocument, list[int]]] | None = None
        laid_out_for: list[int] = []

        def lay_out_cover(still_rendering: set[int]) -> None:
            nonlocal pending, laid_out_for
            laid_out_for = [counts[i] if i not in still_rendering
                            else _typical_pages(counts, items, i) for i in range(len(items))]
            pending = pool.submit(workers, render_cover, titles, shown, laid_out_for)

        if not jobs and len(counts) == len(items):  # all cached, lengths known: start now
            lay_out_cover(set())
        open_parts()
        for index, document in _as_completed(futures, lay_out_cover, workers):
            arrived(index, document)
        final = [counts[i] for i in range(len(items))]
        if pending is None or laid_out_for != final:
            pending = pool.submit(workers, render_cover, titles, shown, final)
        cover, starts = pending.result()

    pack = Pdf.new()
    pack.pages.extend(Pdf.open(io.BytesIO(cover.pdf)).pages)
    for index in range(len(items)):
        pack.pages.extend(sources[index].pages)
    with pack.open_outline() as outline:
        for title, start in zip(titles, starts, strict=True):
            outline.root.append(OutlineItem(title, start - 1))
    # The merged pack keeps each part's pages, not their structure trees; say at least
    # what it is and in which language.
    pack.docinfo[Name.Title] = cover.title
    pack.Root.Lang = String(cover_inputs["language"])
    pack.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    out = io.BytesIO()
    pack.save(out, object_stream_mode=ObjectStreamMode.generate, deterministic_id=True)
    return out.getvalue(), rendered


def assemble_pack(parts: Sequence[PackPart], cover_inputs: dict[str, Any], *,
                  workers: int = 0) -> bytes:
    """The pack of parts already rendered (see build_pack)."""
    return build_pack(parts, cover_inputs, workers=workers)[0]
