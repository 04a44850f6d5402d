"""Inputs -> HTML -> PDF. Runs inside the render pool's worker processes.

Every function here takes plain data (the JSON-able inputs gathered by
service.py) so a job crosses the process boundary as a small pickle and the
whole CPU cost — analysis, charts, templating, layout — lands in the worker.
The per-process caches below (fonts, parsed stylesheets) assume one render at
a time per process, which is what a pool worker, the CLI and the tests do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import weasyprint
from markupsafe import Markup
from weasyprint.text.fonts import FontConfiguration

from app.reports.rendering.cover import cover_context
from app.reports.rendering.fetcher import ASSETS_DIR, ASSETS_URL, LockedURLFetcher
from app.reports.rendering.formatting import Formatter
from app.reports.rendering.group import group_context
from app.reports.rendering.individual import individual_context
from app.reports.rendering.journey import journey_context
from app.reports.rendering.templating import report_environment


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    pages: int
    title: str = ""


def build_html(kind: str, inputs: dict[str, Any], *, screen: bool = False) -> str:
    if kind == "individual":
        context = individual_context(inputs)
    elif kind == "group":
        context = group_context(inputs)
    elif kind == "cover":
        context = cover_context(inputs)
    elif kind == "journey":
        context = journey_context(inputs)
    else:
        raise ValueError(f"unknown report kind {kind!r}")
    context["screen"] = screen
    # Our own stylesheet, inlined for the on-screen fragment.
    context["screen_css"] = (
        Markup(_report_css() + _asset_text("screen.css")) if screen else ""  # noqa: S704
    )
    template = report_environment(inputs["language"]).get_template(f"{kind}.html")
    return template.render(context)


@lru_cache(maxsize=4)
def _asset_text(name: str) -> str:
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


def _report_css() -> str:
    return _asset_text("report.css")


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    # One per process: the @font-face files are then loaded once per worker,
    # not once per report (WeasyPrint keys them by their descriptors).
    return FontConfiguration()


@lru_cache(maxsize=16)
def report_stylesheet(lang: str, page_size: str) -> weasyprint.CSS:
    """page.css + report.css, parsed once per worker and reused by every render.

    Parsing and preprocessing the stylesheet took ~20 ms of every report;
    a CSS object is reusable as long as the font configuration is the same.
    """
    fmt = Formatter(lang)
    page_css = report_environment(lang).get_template("page.css").render(
        page_size=page_size, page_word=fmt._("page"), of_word=fmt._("of"),
    )
    return weasyprint.CSS(
        string=page_css + "\n" + _report_css(), base_url=ASSETS_URL,
        url_fetcher=LockedURLFetcher(), font_config=_font_config(),
    )


def html_to_pdf(html: str, fetcher: LockedURLFetcher | None = None,
                stylesheet: weasyprint.CSS | None = None) -> RenderedDocument:
    """Render with the locked fetcher; relative URLs resolve inside the assets directory.

    The PDF is tagged (PDF/UA-1): a structure tree for screen readers, with the
    document's title (<title>) and language (<html lang>) in its metadata.
    """
    document = weasyprint.HTML(
        string=html, base_url=ASSETS_URL, url_fetcher=fetcher or LockedURLFetcher(),
    ).render(font_config=_font_config(), stylesheets=[stylesheet] if stylesheet else None,
             pdf_tags=True)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedDocument(pdf=pdf, pages=len(document.pages),
                            title=document.metadata.title or "")


def render_report(kind: str, inputs: dict[str, Any],
                  fetcher: LockedURLFetcher | None = None) -> RenderedDocument:
    """The pool's job: one report, start to finish, numbered "page X of Y" on its own."""
    stylesheet = report_stylesheet(inputs["language"], inputs["page_size"])
    return html_to_pdf(build_html(kind, inputs), fetcher, stylesheet)
