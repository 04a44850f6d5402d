"""The participant's own report: the PDF and its on-screen twin.

Rendering belongs to app.reports.service; this module is the one place the
participant side calls it. Should the on-screen rendering fail for a map, the
page falls back to the analysis core's results rather than an error page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from app.analysis import MapAnalysis, NetworkMap, Program, analyze_map, compare_maps
from app.config import Settings
from app.participation.models import Submission
from app.reports import service as reports

logger = logging.getLogger("wellspring.participation")

_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.S | re.I)


def invalidate_reports(db: Session, participant_id: int) -> None:
    """Drop every cached report holding this participant's map (theirs, group, packs)."""
    reports.invalidate_participant(db, participant_id)


def report_pdf_response(
    request: Request, db: Session, submission: Submission, settings: Settings
) -> Response:
    rendered = reports.individual_report(db, submission, settings=settings)
    return reports.pdf_response(request, rendered, inline=True)


def report_html(db: Session, submission: Submission, settings: Settings) -> Markup | None:
    """The report as an HTML fragment for the page, or None when it cannot be rendered."""
    try:
        fragment = reports.individual_report_html(db, submission, settings=settings)
    except Exception:
        logger.exception("on-screen report failed for submission %s", submission.id)
        return None
    # The fragment is our own renderer's output, with every value escaped there.
    return Markup(_SCRIPT.sub("", fragment))  # noqa: S704


@dataclass
class OnScreenReport:
    """The analysis core's results, for when the report cannot be rendered."""

    analysis: dict[str, Any]
    labels: dict[str, str]
    change: dict[str, Any] | None


def on_screen_report(
    submission: Submission,
    program: Program,
    as_of: date,
    lang: str,
    previous: Submission | None,
    previous_as_of: date | None,
) -> OnScreenReport:
    current = NetworkMap.model_validate(submission.map)
    analysis: MapAnalysis = analyze_map(current, program, as_of)
    change = None
    if previous is not None and previous_as_of is not None:
        before = NetworkMap.model_validate(previous.map)
        change = compare_maps(before, current, program, previous_as_of, as_of).to_json(lang)
    return OnScreenReport(
        analysis=analysis.to_json(lang),
        labels={contact.id: contact.label for contact in current.contacts},
        change=change,
    )
