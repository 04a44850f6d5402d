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

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from app.reports.rendering import pool
from app.reports.rendering.render import RenderedDocument, render_report

Progress = Callable[[int, int], None]
MAX_COVER_ATTEMPTS = 3  # a long cover may take a second page, which moves every range


@dataclass(frozen=True)
class Job:
    kind: str
    inputs: dict[str, Any]
    title: str = ""  # the pack's bookmark and cover line for this report


def _in_order(jobs: Sequence[Job], workers: int,
              progress: Progress | None) -> Iterator[RenderedDocument]:
    """Yield each job's document in job order, rendering in the pool when workers > 0.

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
    futures: list[Future[RenderedDocument]] = [
        pool.submit(workers, render_report, job.kind, job.inputs) for job in jobs
    ]
    reported = 0
    for future in futures:
        document = future.result()
        done = sum(1 for f in futures if f.done())
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


def assemble_pack(parts: Sequence[PackPart], cover_inputs: dict[str, Any]) -> bytes:
    """Cover + parts, merged as they are, with a bookmark per part.

    ``cover_inputs`` are the group report's inputs; the cover adds each part's
    page range in the pack, counted after the cover itself.
    """
    readers = [PdfReader(io.BytesIO(part.pdf)) for part in parts]
    starts: list[int] = []
    cover_pages = 1
    for _attempt in range(MAX_COVER_ATTEMPTS):
        entries: list[dict[str, Any]] = []
        starts, first = [], cover_pages + 1
        for part, reader in zip(parts, readers, strict=True):
            last = first + len(reader.pages) - 1
            entries.append({"title": part.title, "first": first, "last": last})
            starts.append(first)
            first = last + 1
        cover = render_report("cover", {**cover_inputs, "entries": entries})
        if cover.pages == cover_pages:
            break
        cover_pages = cover.pages

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover.pdf)), import_outline=False)
    for part, reader, start in zip(parts, readers, starts, strict=True):
        writer.append(reader, import_outline=False)
        writer.add_outline_item(title=part.title, page_number=start - 1)
    # The merged pack keeps each part's pages, not their structure trees; say at least
    # what it is and in which language.
    writer.add_metadata({"/Title": cover.title})
    writer.root_object[NameObject("/Lang")] = TextStringObject(cover_inputs["language"])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
