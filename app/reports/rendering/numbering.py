""""page X of Y" across a merged pack, written straight into the PDF.

The pack's reports are rendered separately and in parallel, so no single
report knows the page numbers. Laying out a second WeasyPrint document of
number-only pages cost about as much as the reference document itself, and
merging it page by page as much again; instead:

1. WeasyPrint renders, once per worker and language, a glyph sheet: one page
   whose bottom-right margin box holds "page 0123456789 of" in the reports'
   own font, at the place the reports put their page numbers.
2. From that page we take the embedded font (a subset of DejaVu Sans whose
   character ids are the font's glyph ids), the glyph for each character (its
   ToUnicode map), the advance widths (its /W array) and the baseline and
   right edge of the text (its text matrix).
3. Each pack page gets that font as a resource and a few bytes of content:
   the number, right-aligned at the same place, in the same colour.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)

from app.reports.rendering.formatting import Formatter
from app.reports.rendering.render import html_to_pdf
from app.reports.rendering.templating import report_environment

FONT_NAME = "/WsPageNumber"
DIGITS = "0123456789"
PX = 0.75  # WeasyPrint draws in CSS px, 0.75 pt each


@dataclass(frozen=True)
class NumberStyle:
    font: DictionaryObject  # the Type0 font of the glyph sheet
    cids: dict[str, int]
    widths: dict[int, float]  # per character id, in thousandths of the font size
    default_width: float
    size: float  # pt
    right: float  # pt from the left edge
    baseline: float  # pt from the bottom edge
    colour: str  # "r g b" operands
    page_word: str
    of_word: str

    def text(self, number: int, total: int) -> str:
        return f"{self.page_word} {number} {self.of_word} {total}"

    def show(self, text: str) -> bytes:
        """The content stream that draws ``text`` right-aligned at the footer."""
        cids = [self.cids[ch] for ch in text]
        width = sum(self.widths.get(c, self.default_width) for c in cids) / 1000 * self.size
        glyphs = "".join(f"{c:04x}" for c in cids)
        return (
            f"BT {FONT_NAME} {self.size:.3f} Tf {self.colour} rg "
            f"1 0 0 1 {self.right - width:.3f} {self.baseline:.3f} Tm <{glyphs}> Tj ET"
        ).encode()


@lru_cache(maxsize=8)
def glyph_sheet(lang: str, page_size: str) -> bytes:
    fmt = Formatter(lang)
    html = report_environment(lang).get_template("numbers.html").render(
        lang=fmt.lang, page_size=page_size, text=f"{fmt._('page')} {DIGITS} {fmt._('of')}",
    )
    return html_to_pdf(html).pdf


def number_style(lang: str, page_size: str) -> NumberStyle:
    reader = PdfReader(io.BytesIO(glyph_sheet(lang, page_size)))
    page = reader.pages[0]
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    fonts = cast(DictionaryObject, resources["/Font"].get_object())
    if len(fonts) != 1:
        raise ValueError(f"glyph sheet: expected one font, found {len(fonts)}")
    font = cast(DictionaryObject, next(iter(fonts.values())).get_object())
    to_unicode = cast(StreamObject, font["/ToUnicode"].get_object())
    cids = _to_unicode(to_unicode.get_data().decode("latin-1"))
    descendant = cast(ArrayObject, font["/DescendantFonts"].get_object())[0].get_object()
    widths = _widths(descendant.get("/W", []))
    content = page.get_contents()
    if content is None:
        raise ValueError("glyph sheet: empty page")
    stream = content.get_data().decode("latin-1")
    matrix = re.search(r"1 0 0 -1 ([\d.]+) ([\d.]+) Tm\s*/\S+ ([\d.]+) Tf", stream)
    colour = re.findall(r"([\d.]+ [\d.]+ [\d.]+) rg", stream)
    if matrix is None or not colour:
        raise ValueError("glyph sheet: cannot find the footer text")
    fmt = Formatter(lang)
    page_word, of_word = fmt._("page"), fmt._("of")
    size = float(matrix[3]) * PX
    default_width = float(descendant.get("/DW", 1000))
    sheet_text = f"{page_word} {DIGITS} {of_word}"
    sheet_width = sum(widths.get(cids[ch], default_width) for ch in sheet_text) / 1000 * size
    height = float(page.mediabox.height)
    return NumberStyle(
        font=font, cids=cids, widths=widths, default_width=default_width, size=size,
        right=float(matrix[1]) * PX + sheet_width, baseline=height - float(matrix[2]) * PX,
        colour=colour[-1], page_word=page_word, of_word=of_word,
    )


def _to_unicode(cmap: str) -> dict[str, int]:
    cids: dict[str, int] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for cid, code in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            cids[chr(int(code, 16))] = int(cid, 16)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, code in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            for offset in range(int(last, 16) - int(first, 16) + 1):
                cids[chr(int(code, 16) + offset)] = int(first, 16) + offset
    return cids


def _widths(w: Any) -> dict[int, float]:
    """A CIDFont /W array: ``c [w1 w2 ...]`` and ``c_first c_last w`` entries."""
    items = list(w)
    widths: dict[int, float] = {}
    index = 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1]
        if isinstance(following, list | ArrayObject):
            for offset, width in enumerate(following):
                widths[first + offset] = float(width)
            index += 2
        else:
            for cid in range(first, int(following) + 1):
                widths[cid] = float(items[index + 2])
            index += 3
    return widths


def stamp_page_numbers(writer: PdfWriter, style: NumberStyle) -> None:
    """Write "page X of Y" on every page of ``writer``."""
    font_ref = writer._add_object(style.font.clone(writer))
    save = writer._add_object(_stream(b"q\n"))
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, start=1):
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
        fonts[NameObject(FONT_NAME)] = font_ref
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else ArrayObject()
        parts = list(existing) if isinstance(existing, ArrayObject) else [contents]
        # Restore the graphics state the report's content leaves behind (WeasyPrint
        # flips and scales it), then draw in plain PDF points.
        footer = writer._add_object(_stream(b"\nQ\n" + style.show(style.text(number, total))))
        page[NameObject("/Contents")] = ArrayObject([save, *parts, footer])


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
