"""The blank worksheet: the exercise on paper, for a room without devices.

Built from the program's lists and field labels in the cohort's language, in the
column order of app.analysis.worksheet, which the entry grid shares, so a filled
sheet is typed in left to right. Renders through the same stylesheet, page header,
fetcher and PDF/UA settings as every other report.
"""

from __future__ import annotations

from typing import Any

from app.analysis import Program
from app.analysis.worksheet import (
    SHEET_COLUMNS,
    SHEET_COMMITMENTS,
    SHEET_ROWS,
    option_codes,
)
from app.reports.rendering.common import page_meta
from app.reports.rendering.formatting import Formatter
from app.reports.rendering.render import RenderedDocument, html_to_pdf, report_stylesheet
from app.reports.rendering.templating import report_environment


def _pick(text: dict[str, str], lang: str) -> str:
    return text.get(lang) or text["en"]


def _hint(program: Program, kind: str, list_name: str, fmt: Formatter) -> str:
    """What goes in a cell, printed faintly in the first row: "1–3", "YYYY-MM", a box."""
    if kind in ("choice", "choices"):
        return f"1–{len(program.options(list_name))}"
    if kind == "closeness":
        return "1–5"
    if kind == "month":
        return fmt._("YYYY-MM")
    if kind == "flag":
        return "☐"
    return ""


def worksheet_context(inputs: dict[str, Any]) -> dict[str, Any]:
    program = Program.model_validate(inputs["program"])
    fmt = Formatter(inputs["language"])
    lang = fmt.lang
    ctx = page_meta(inputs, fmt, program)
    fields = program.exercise.fields
    columns = [
        {
            "name": column.name,
            "kind": column.kind,
            "label": _pick(fields["ties" if column.name == "knows" else column.name].label, lang),
            "hint": _hint(program, column.kind, column.options, fmt),
        }
        for column in SHEET_COLUMNS
    ]
    keys = []
    for column in SHEET_COLUMNS:
        if column.kind in ("choice", "choices"):
            by_id = {option.id: option for option in program.options(column.options)}
            keys.append({
                "label": _pick(fields[column.name].label, lang),
                "several": column.kind == "choices",
                "options": [
                    {"code": code, "label": _pick(by_id[option_id].label, lang),
                     "help": _pick(by_id[option_id].help, lang)}
                    for code, option_id in option_codes(program, column.options)
                ],
            })
    help_items = [
        {"label": _pick(fields[name].label, lang), "help": _pick(fields[name].help, lang)}
        # the nickname is explained above the key, who knows whom on its own page
        for name in ("closeness", "last_contact", "function", "industry", "i_helped",
                     "they_helped", "introduced")
    ]
    ctx.update(
        document_title=fmt._("Network map worksheet") + f" · {inputs['cohort']['name']}",
        columns=columns,
        # Who knows whom has its own page (a triangle of row numbers), not a column.
        paper_columns=[column for column in columns if column["kind"] != "rows"],
        keys=keys,
        help_items=help_items,
        rows=list(range(1, SHEET_ROWS + 1)),
        commitment_rows=list(range(
            1, min(SHEET_COMMITMENTS, program.exercise.limits.max_commitments) + 1)),
        commitments_label=_pick(fields["commitments"].label, lang),
        commitments_help=_pick(fields["commitments"].help, lang),
        ties_help=_pick(fields["ties"].help, lang),
    )
    return ctx


def build_worksheet_html(inputs: dict[str, Any]) -> str:
    template = report_environment(inputs["language"]).get_template("worksheet.html")
    return template.render(worksheet_context(inputs) | {"screen": False, "screen_css": ""})


def render_worksheet(inputs: dict[str, Any]) -> RenderedDocument:
    """The pool's job for the worksheet (the sheet has no per-person data)."""
    stylesheet = report_stylesheet(inputs["language"], inputs["page_size"])
    return html_to_pdf(build_worksheet_html(inputs), stylesheet=stylesheet)
