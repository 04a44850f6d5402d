"""assemble_pack: the parts merged as they are, a cover with page ranges, bookmarks, metadata."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pypdf import PdfReader

from app.reports.rendering.pack import Job, PackPart, assemble_pack, build_pack, render_all
from tests.reports.report_support import group_inputs, individual_inputs, pdf_pages, sample_map


def blank_pdf(pages: int, width: float = 595, height: float = 842) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(width, height))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("workers", "known"), [(0, False), (2, False), (2, True)])
def test_a_cover_of_several_pages_moves_every_range(workers: int, known: bool) -> None:
    # 90 parts: the cover list runs past one page, so every range is counted after it.
    # Their page counts come with them (as from the cache) or are counted from the PDFs.
    counts = [1 + index % 3 for index in range(90)]
    parts = [PackPart(f"Person {index:02d}", blank_pdf(count), count if known else None)
             for index, count in enumerate(counts)]
    pack = assemble_pack(parts, group_inputs({}), workers=workers)

    reader = PdfReader(io.BytesIO(pack))
    pages = pdf_pages(pack)
    cover_pages = len(reader.pages) - sum(counts)
    assert cover_pages >= 2
    assert all("Session pack" in page or "Person" in page for page in pages[:cover_pages])
    cover = "\n".join(pages[:cover_pages])
    starts = []
    first = cover_pages + 1
    for index, count in enumerate(counts):
        last = first + count - 1
        expected = f"pages {first}–{last}" if count > 1 else f"page {first}"
        assert f"Person {index:02d} {expected}" in cover
        starts.append(first)
        first = last + 1
    outline = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in outline] == [part.title for part in parts]
    assert [reader.get_destination_page_number(item) + 1 for item in outline] == starts
    assert reader.metadata is not None and reader.metadata.title.startswith("Session pack")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_parts_keep_their_pages_and_size() -> None:
    parts = [PackPart("Group report", blank_pdf(2)),
             PackPart("Letter", blank_pdf(1, 612, 792))]
    pack = PdfReader(io.BytesIO(assemble_pack(parts, group_inputs({}, language="it"))))
    assert len(pack.pages) == 4
    assert [tuple(page.mediabox[2:]) for page in pack.pages[1:]] == [(595, 842)] * 2 + [(612, 792)]
    assert pack.trailer["/Root"]["/Lang"] == "it"
    cover = pack.pages[0].extract_text()
    assert "Group report pagine 2–3" in cover and "Letter pagina 4" in cover


def test_pooled_renders_come_back_in_job_order() -> None:
    # The pool starts the biggest maps first; the documents still come back in job order.
    sizes = [3, 30, 8, 20]
    jobs = [Job("individual", individual_inputs(sample_map(index, size), name=f"Owner{index}",
                                                previous=False), title=f"Owner{index}")
            for index, size in enumerate(sizes)]
    seen: list[tuple[int, int]] = []
    documents = render_all(jobs, workers=2, progress=lambda done, total: seen.append((done, total)))
    owners = [[job.title for job in jobs if job.title in pdf_pages(doc.pdf)[0]]
              for doc in documents]
    assert owners == [[job.title] for job in jobs]
    assert all(doc.pages == len(pdf_pages(doc.pdf)) for doc in documents)
    assert seen[-1] == (4, 4) and [done for done, _ in seen] == sorted(done for done, _ in seen)


@pytest.mark.parametrize("workers", [0, 2])
def test_a_pack_of_cached_parts_and_reports_still_to_render(workers: int) -> None:
    # Cached parts (page count kept, or not) mixed with reports rendered on the way, of
    # different lengths: with the pool, the cover is laid out while the last one renders,
    # from a guess at its length, and must still give every range right.
    items: list[PackPart | Job] = [
        PackPart("Group report", blank_pdf(2), 2),
        Job("individual", individual_inputs(sample_map(5, 2), name="Tiny Map", previous=False),
            title="Tiny Map"),
        PackPart("Old cache row", blank_pdf(4)),
        Job("individual", individual_inputs(sample_map(6, 40), name="Big Map"), title="Big Map"),
    ]
    pack, rendered = build_pack(items, group_inputs({}), workers=workers)

    assert sorted(rendered) == [1, 3]
    counts = [2, rendered[1].pages, 4, rendered[3].pages]
    assert counts[1] != counts[3]  # the guess from the first to finish is wrong for the other
    reader = PdfReader(io.BytesIO(pack))
    assert len(reader.pages) == 1 + sum(counts)
    cover = reader.pages[0].extract_text()
    first = 2
    for item, count in zip(items, counts, strict=True):
        last = first + count - 1
        pages = f"pages {first}–{last}" if count > 1 else f"page {first}"
        assert f"{item.title} {pages}" in cover
        first = last + 1
    outline = [item for item in reader.outline if not isinstance(item, list)]
    assert [reader.get_destination_page_number(item) for item in outline] == [1, 3, 3 + counts[1],
                                                                             7 + counts[1]]
    assert "Tiny Map" in reader.pages[3].extract_text()
