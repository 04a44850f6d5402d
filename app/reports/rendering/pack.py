"""Render many reports at once (in the pool) and assemble the session pack.

The pack is the group report followed by every participant's report, each
starting on a new page, with page numbers running through the whole pack.
Each report renders on its own in a worker, without page numbers; the main
process appends each PDF as soon as it and the ones before it are done (so
merging overlaps rendering), then writes "page X of Y" on every page (see
numbering.py). One big HTML document instead would leave all the work to a
single process.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter

from app.reports.rendering import pool
from app.reports.rendering.numbering import number_style, stamp_page_numbers
from app.reports.rendering.render import RenderedDocument, render_report

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Job:
    kind: str
    inputs: dict[str, Any]
    numbered: bool = True
    title: str = ""  # the pack's bookmark for this report


def _in_order(jobs: Sequence[Job], workers: int,
              progress: Progress | None) -> Iterator[RenderedDocument]:
    """Yield each job's document in job order, rendering in the pool when workers > 0.

    ``progress(done, total)`` counts finished renders, whatever their order.
    """
    total = len(jobs)
    if workers <= 0:
        for index, job in enumerate(jobs):
            document = render_report(job.kind, job.inputs, job.numbered)
            if progress:
                progress(index + 1, total)
            yield document
        return
    futures: list[Future[RenderedDocument]] = [
        pool.submit(workers, render_report, job.kind, job.inputs, job.numbered) for job in jobs
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


def render_pack(jobs: Sequence[Job], *, lang: str, page_size: str, workers: int,
                progress: Progress | None = None) -> bytes:
    """Concatenate the reports, number every page and bookmark each report."""
    writer = PdfWriter()
    starts: list[int] = []
    for document in _in_order(jobs, workers, progress):
        starts.append(len(writer.pages))
        writer.append(PdfReader(io.BytesIO(document.pdf)), import_outline=False)
    stamp_page_numbers(writer, number_style(lang, page_size))
    for job, start in zip(jobs, starts, strict=True):
        if job.title:
            writer.add_outline_item(title=job.title, page_number=start)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


