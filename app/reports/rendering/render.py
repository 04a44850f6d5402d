"""Inputs -> HTML -> PDF. Runs inside the render pool's worker processes.

Every function here takes plain data (the JSON-able inputs gathered by
service.py) so a job crosses the process boundary as a small pickle and the
whole CPU cost — analysis, charts, templating, layout — lands in the worker.
The per-process caches below (fonts, parsed stylesheets) assume one render at
a time per process, which is what a pool worker, the CLI and the tests do.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import weasyprint
from markupsafe import Markup
from weasyprint.text.fonts import FontConfiguration

from app.analysis import default_program_path, load_program
from app.core.i18n import LANGUAGE_NAMES
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
        context = individual_context(inputs, screen=screen)
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
    """The pool's job: one report, start to finish, numbered "page X of Y" on its own.

    ``fetcher`` is only for tests that inspect what was fetched; anything but a
    LockedURLFetcher is refused, so no caller can slip another loader in.
    """
    if fetcher is not None and not isinstance(fetcher, LockedURLFetcher):
        raise TypeError(f"fetcher must be a LockedURLFetcher, not {type(fetcher).__name__}")
    stylesheet = report_stylesheet(inputs["language"], inputs["page_size"])
    return html_to_pdf(build_html(kind, inputs), fetcher, stylesheet)


# A small map for warming a worker up: a few contacts, a tie, a commitment, so the
# first real report finds the templates compiled, the fonts loaded and every
# code path (analysis, charts, sociogram, tags) already imported.
_WARM_UP_MAP: dict[str, Any] = {
    "contacts": [
        {"id": f"c{n}", "label": label, "purpose": purpose, "roles": [role],
         "origin": origin, "organization": "outside", "function": function,
         "industry": industry, "qualities": qualities, "closeness": closeness,
         "last_contact": last, "i_helped": n % 2 == 0, "they_helped": n % 3 == 0,
         "introduced": False}
        for n, (label, purpose, role, origin, function, industry, qualities, closeness, last)
        in enumerate([
            ("A.B.", "company", "peer", "former_job", "Legal", "Public sector", [], 2, "2026-02"),
            ("C.D.", "growth", "mentor", "personal", "Operations", "Health", ["nurtures"], 1,
             "2026-03"),
            ("E.F.", "both", "friend", "former_job", "Operations", "Banking", ["challenges"], 3,
             "2024-09"),
        ], start=1)
    ],
    "ties": [["c1", "c2"]],
    "commitments": [{"text": "Coffee with C.D.", "contact": "c2"}],
}


def warm_up(page_size: str = "A4") -> None:
    """Prepare this process for its first real report (the pool's start-up job).

    Loads the fonts and parses the stylesheet of every language, then renders a
    throw-away individual report in each, which compiles the templates and runs
    each code path once. Nothing is kept but those per-process caches, which are
    then frozen out of the garbage collector's sight: otherwise the first full
    collection (~0.1 s here, in the middle of the first real report) walks them all.
    """
    program = load_program(default_program_path()).model_dump(mode="json")
    for language in LANGUAGE_NAMES:
        render_report("individual", {
            "kind": "individual", "program": program, "language": language,
            "page_size": page_size, "cohort": {"name": "Warm-up"},
            "session": {"number": 1, "title": "Warm-up"},
            "participant": {"id": 0, "name": "Warm-up"}, "as_of": "2026-03-20",
            "map": _WARM_UP_MAP, "status": "submitted", "commitment_review": None,
            "previous": {"map": _WARM_UP_MAP, "as_of": "2026-02-20"},
        })
    gc.collect()
    gc.freeze()
