"""assemble_pack: the parts merged as they are, a cover with page ranges, bookmarks, metadata."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pypdf import PdfReader

from app.reports.rendering.pack import PackPart, assemble_pack
from tests.reports.report_support import group_inputs, pdf_pages


def blank_pdf(pages: int, width: float = 595, height: float = 842) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(width, height))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("workers", [0, 2])
def test_a_cover_of_several_pages_moves_every_range(workers: int) -> None:
    # 90 parts: the cover list runs past one page, so every range is counted after it.
    counts = [1 + index % 3 for index in range(90)]
    parts = [PackPart(f"Person {index:02d}", blank_pdf(count))
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
