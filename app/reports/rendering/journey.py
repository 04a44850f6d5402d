"""The journey report's context: the months so far, measure by measure, as small multiples.

Two scopes share one template:

- ``cohort``: each session goes through the group report's own analysis
  (``analyze_group``, with the previous session for change and the ticks for
  commitments), so every figure obeys the same disclosure rule: medians and
  quartiles only, counts shown or suppressed as in the group report, nothing
  but participation under 3 maps. No label, name or commitment text is used.
- ``participant``: one person's own maps, month by month, for their own link.

Session 8 of the default program ("comparing your first and last maps")
builds on the section that sets the first map beside the latest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.analysis import (
    Distribution,
    Ego,
    GroupAnalysis,
    NetworkMap,
    Program,
    analyze_map,
    compare_maps,
    flatten_metrics,
)
from app.reports.rendering.common import page_meta
from app.reports.rendering.formatting import N_, Formatter
from app.reports.rendering.group import MIN_GROUP, analyze_group
from app.reports.rendering.trends import Point, nice_ceiling, trend

# (metric key, label msgid, kind): kind "count" (people), "share" (0–1) or "index" (0–1).
MEASURES: tuple[tuple[str, str, str], ...] = (
    ("size", N_("People on the map"), "count"),
    ("growth_share", N_("For growth (or both)"), "share"),
    ("dormant_count", N_("Dormant ties"), "count"),
    ("reconnected", N_("Dormant ties reconnected"), "count"),
    ("iqv.function", N_("Diversity of functions"), "index"),
    ("iqv.industry", N_("Diversity of industries"), "index"),
    ("kept_share", N_("Commitments kept"), "share"),
)
# The cohort's reconnections are every compared map's added up, as in the group report.
COHORT_LABELS = {"reconnected": N_("Dormant ties reconnected, all maps together")}
# Table-only rows after "Commitments kept": the other two ticks.
TICK_ROWS: tuple[tuple[str, str], ...] = (
    ("not_kept", N_("Commitments not kept")),
    ("not_sure", N_("Commitments not sure")),
)
# Measures of one map, compared first against latest.
FIRST_LATEST = ("size", "growth_share", "dormant_count", "iqv.function", "iqv.industry")


@dataclass(frozen=True)
class Cell:
    """One measure in one month: the value charted, its band and the words in the table."""

    value: float | None
    text: str
    low: float | None = None
    high: float | None = None


def journey_context(inputs: dict[str, Any]) -> dict[str, Any]:
    program = Program.model_validate(inputs["program"])
    fmt = Formatter(inputs["language"])
    cohort_scope = inputs["scope"] == "cohort"
    sessions = inputs["sessions"]
    if cohort_scope:
        columns = _cohort_columns(sessions, program, fmt)
    else:
        columns = _participant_columns(sessions, inputs.get("ego") or {}, program, fmt)
    months = max([len(program.sessions), *(s["number"] for s in sessions)])
    ctx = page_meta(inputs, fmt, program)
    title = fmt._("The journey so far")
    who = inputs["cohort"]["name"] if cohort_scope else inputs["participant"]["name"]
    ctx.update(
        document_title=f"{title} · {who}",
        title=title,
        cohort_scope=cohort_scope,
        participant_name=None if cohort_scope else inputs["participant"]["name"],
        min_group=MIN_GROUP,
        sessions=[{"number": s["number"], "title": s.get("title") or ""} for s in sessions],
        participation=[column["participation"] for column in columns] if cohort_scope else [],
        rows=[_row(key, fmt._(COHORT_LABELS.get(key, label) if cohort_scope else label), kind,
                   columns, fmt, months) for key, label, kind in MEASURES]
        + [{"key": key, "label": fmt._(label), "chart": None,
            "cells": [column["cells"][key].text for column in columns]}
           for key, label in TICK_ROWS],
        first_latest=_first_latest(columns, fmt),
        closing_topic=_closing_topic(program, sessions, fmt),
    )
    return ctx


# --- the cohort: the group report's analysis, session by session ------------------------


def _cohort_columns(sessions: list[dict[str, Any]], program: Program,
                    fmt: Formatter) -> list[dict[str, Any]]:
    columns = []
    previous: dict[str, Any] | None = None
    for session in sessions:
        analysis = analyze_group({
            "as_of": session["as_of"],
            "participation": session["participation"],
            "maps": session["maps"],
            "egos": session.get("egos") or {},
            "reviews": session.get("reviews") or {},
            "previous": {"maps": previous["maps"], "as_of": previous["as_of"]}
            if previous and previous["maps"] else None,
        }, program)
        columns.append({"number": session["number"],
                        "participation": _participation(analysis, fmt),
                        "cells": _cohort_cells(analysis, fmt)})
        previous = session
    return columns


def _participation(analysis: GroupAnalysis, fmt: Formatter) -> str:
    part = analysis.participation
    return fmt._("{k} of {n}").format(k=part.submitted, n=part.invited)


def _cohort_cells(analysis: GroupAnalysis, fmt: Formatter) -> dict[str, Cell]:
    def median_of(key: str, kind: str) -> Cell:
        dist: Distribution | None = analysis.distributions.get(key)
        if dist is None:
            return Cell(None, "–")
        return Cell(dist.median, _format(dist.median, kind, fmt), dist.q1, dist.q3)

    cells = {key: median_of(key, kind) for key, _label, kind in MEASURES
             if key in FIRST_LATEST}
    change = analysis.change
    reconnected = None if change is None else change.dormant_reconnected
    cells["reconnected"] = Cell(None, "–") if reconnected is None else Cell(
        float(reconnected), str(reconnected))
    total = None if change is None else change.commitments_total
    for key, count in (("kept_share", None if change is None else change.commitments_kept),
                       ("not_kept", None if change is None else change.commitments_not_kept),
                       ("not_sure", None if change is None else change.commitments_not_sure)):
        if count is None or not total:
            cells[key] = Cell(None, "–")
        else:
            cells[key] = Cell(count / total, fmt._("{k} of {n}").format(k=count, n=total))
    return cells


# --- one participant: their own maps ---------------------------------------------------


def _participant_columns(sessions: list[dict[str, Any]], ego: dict[str, Any], program: Program,
                         fmt: Formatter) -> list[dict[str, Any]]:
    own = Ego(function=ego.get("function"), industry=ego.get("industry"))
    columns = []
    previous: tuple[NetworkMap, date] | None = None
    for session in sessions:
        as_of = date.fromisoformat(session["as_of"])
        cells: dict[str, Cell] = {key: Cell(None, "–") for key, _label, _kind in MEASURES}
        cells.update({key: Cell(None, "–") for key, _label in TICK_ROWS})
        current = NetworkMap.model_validate(session["map"]) if session.get("map") else None
        if current is not None:
            flat = flatten_metrics(analyze_map(current, program, as_of, own).metrics)
            for key, _label, kind in MEASURES:
                if key in FIRST_LATEST and key in flat:
                    cells[key] = Cell(float(flat[key]), _format(float(flat[key]), kind, fmt))
            if previous is not None:
                ticks = [t if isinstance(t, bool) else None for t in session.get("review") or []]
                summary = compare_maps(previous[0], current, program, previous[1], as_of, ticks)
                cells["reconnected"] = Cell(float(len(summary.reconnected)),
                                            str(len(summary.reconnected)))
                total = summary.commitments_total
                for key, count in (("kept_share", summary.commitments_kept),
                                   ("not_kept", summary.commitments_not_kept),
                                   ("not_sure", summary.commitments_not_sure)):
                    if total:
                        cells[key] = Cell(count / total,
                                          fmt._("{k} of {n}").format(k=count, n=total))
        columns.append({"number": session["number"], "participation": "", "cells": cells})
        previous = (current, as_of) if current is not None else None
    return columns


# --- shared --------------------------------------------------------------------------


def _format(value: float, kind: str, fmt: Formatter) -> str:
    if kind == "share":
        return fmt.pct(value)
    if kind == "index":
        return fmt.dec(value)
    return fmt.dec(value, 0 if float(value).is_integer() else 1)


def _row(key: str, label: str, kind: str, columns: list[dict[str, Any]], fmt: Formatter,
         months: int) -> dict[str, Any]:
    cells: list[Cell] = [column["cells"][key] for column in columns]
    points = [Point(column["number"], cell.value, cell.low, cell.high)
              for column, cell in zip(columns, cells, strict=True)]
    if kind == "count":
        top = max([c.high or c.value or 0.0 for c in cells] + [c.value or 0.0 for c in cells])
        high = nice_ceiling(top)
        value_fmt: Callable[[float], str] = lambda v: fmt.dec(v, 0 if v.is_integer() else 1)  # noqa: E731
    else:
        high = 1.0
        value_fmt = fmt.pct if kind == "share" else fmt.dec
    return {
        "key": key, "label": label,
        "cells": [cell.text for cell in cells],
        "chart": trend(points, title=label, months=months, low=0.0, high=high, fmt=value_fmt),
    }


def _first_latest(columns: list[dict[str, Any]], fmt: Formatter) -> dict[str, Any] | None:
    """The first month with figures beside the latest: None until there are two."""
    with_figures = [c for c in columns if c["cells"]["size"].value is not None]
    if len(with_figures) < 2:
        return None
    first, latest = with_figures[0], with_figures[-1]
    rows = []
    for key, label, kind in MEASURES:
        if key not in FIRST_LATEST:
            continue
        before, after = first["cells"][key], latest["cells"][key]
        change = "–"
        if before.value is not None and after.value is not None:
            delta = after.value - before.value
            change = fmt.signed(delta, percent=kind == "share", digits=2 if kind == "index" else 1)
        rows.append({"label": fmt._(label), "first": before.text, "latest": after.text,
                     "change": change})
    return {"first": first["number"], "latest": latest["number"], "rows": rows}


def _closing_topic(program: Program, sessions: list[dict[str, Any]], fmt: Formatter) -> str:
    """The program's last session topic, once the cohort has reached it."""
    if not sessions or not program.sessions:
        return ""
    last = program.sessions[-1]
    if sessions[-1]["number"] < last.number:
        return ""
    return last.topic.get(fmt.lang) or last.topic["en"]
