"""Pieces shared by the individual and group report contexts."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.analysis import Program
from app.reports.rendering.charts import Segment
from app.reports.rendering.formatting import Formatter
from app.reports.rendering.svg import PURPOSE_COLOURS, UNKNOWN_COLOUR, truncate

HEADER_CHARS = 80
PURPOSE_ORDER = ("company", "both", "growth")


def page_meta(inputs: dict[str, Any], fmt: Formatter, program: Program) -> dict[str, Any]:
    """Running header text and the masthead's line about the session."""
    session = inputs["session"]
    total = len(program.sessions)
    program_session = program.session(session["number"])
    title = session.get("title") or (
        program_session.title.get(fmt.lang, program_session.title["en"]) if program_session else ""
    )
    if total >= session["number"]:
        position = fmt._("Session {number} of {total}").format(
            number=session["number"], total=total
        )
    else:
        position = fmt._("Session {number}").format(number=session["number"])
    as_of = date.fromisoformat(inputs["as_of"])
    return {
        "lang": fmt.lang,
        "page_size": inputs["page_size"],
        "cohort_name": inputs["cohort"]["name"],
        "header_cohort": truncate(inputs["cohort"]["name"], HEADER_CHARS),
        "header_session": truncate(f"{position} · {title}" if title else position, 60),
        "session_position": position,
        "session_title": title,
        "program_name": program.name.get(fmt.lang) or program.name["en"],
        "as_of_text": fmt.day(as_of),
    }


def purpose_segments(
    counts: dict[str, float], program: Program, fmt: Formatter
) -> list[Segment]:
    segments = [
        Segment(program.label("purposes", purpose, fmt.lang), counts.get(purpose, 0),
                PURPOSE_COLOURS[purpose])
        for purpose in PURPOSE_ORDER
    ]
    unknown = counts.get("unknown", 0)
    if unknown:
        segments.append(Segment(fmt._("Not given"), unknown, UNKNOWN_COLOUR))
    return segments


def purpose_legend(program: Program, fmt: Formatter) -> list[dict[str, str]]:
    return [
        {"key": purpose, "label": program.label("purposes", purpose, fmt.lang)}
        for purpose in PURPOSE_ORDER
    ]


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
