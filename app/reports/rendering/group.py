"""The group report's template context.

Only GroupAnalysis figures reach this context: no contact label, no
participant name, no commitment text. Which counts may be shown is decided in
app/analysis/disclosure.py (the same rule as the JSON); a suppressed figure
arrives as None and is shown as "not shown". The facilitator's copy
(``inputs["facilitator_copy"]``) shows every count and says on every page
that it is not for hand-out.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from pydantic import ValidationError

from app.analysis import (
    Distribution,
    Ego,
    GroupAnalysis,
    NetworkMap,
    Program,
    analyze_session,
    distribution,
)
from app.reports.rendering import charts
from app.reports.rendering.charts import Bar, Box
from app.reports.rendering.common import page_meta, purpose_legend
from app.reports.rendering.formatting import N_, Formatter
from app.reports.rendering.prompts import discussion_prompts

logger = logging.getLogger("wellspring.reports")

MIN_GROUP = 3

# (flat metric key, label msgid) per chart; all shares share a 0–100% axis.
SHARE_MEASURES = (
    ("growth_share", N_("For their growth")),
    ("dormant_share", N_("Dormant ties")),
    ("helped_share", N_("They helped lately")),
    ("helped_by_share", N_("Helped them lately")),
    ("introduced_share", N_("They introduced")),
    ("energizes_share", N_("Energize them")),
    ("challenges_share", N_("Challenge them")),
    ("drains_share", N_("Drain them")),
)
STRUCTURE_MEASURES = (
    ("iqv.function", N_("Diversity of functions")),
    ("iqv.industry", N_("Diversity of industries")),
    ("iqv.origin", N_("Diversity of origins")),
    ("density", N_("Know each other")),
    ("constraint", N_("Closed circle (0 to 1)")),
    ("efficiency", N_("Share bringing news")),
)
# kind: "share" (shown in points), "index" (0–1, decimals) or "count" (people).
CHANGE_MEASURES = (
    ("size", N_("People on the map"), "count"),
    ("growth_share", N_("For their growth"), "share"),
    ("dormant_share", N_("Dormant ties"), "share"),
    ("helped_share", N_("They helped lately"), "share"),
    ("introduced_share", N_("They introduced"), "share"),
    ("iqv.function", N_("Diversity of functions"), "index"),
)
# A bar reaches the edge at this change: 30 points, 0.3 of an index, 3 people.
CHANGE_LIMIT = 0.3
COUNT_SCALE = 10.0
# For the change chart: is a rise good news? (dormant ties going up is not)
RISE_IS_GOOD = {"dormant_share": False}


def group_context(inputs: dict[str, Any]) -> dict[str, Any]:
    program = Program.model_validate(inputs["program"])
    fmt = Formatter(inputs["language"])
    analysis = analyze_group(inputs, program)
    not_shown = fmt._("not shown: fewer than %(n)s, or all but fewer than %(n)s").replace(
        "%(n)s", str(MIN_GROUP))
    # Chart rows have a narrow value column: the short note there, the rule in the text.
    row_note = fmt._("not shown")
    participation = analysis.participation
    copy_note = fmt._("Facilitator's copy with unsuppressed counts: not for hand-out")

    ctx = page_meta(inputs, fmt, program)
    ctx.update(
        document_title=fmt._("Group report") + f" · {inputs['cohort']['name']}",
        not_shown=not_shown,
        suppressed=analysis.suppressed,
        min_group=MIN_GROUP,
        facilitator_copy=analysis.facilitator_copy,
        copy_note=copy_note,
        participation=participation,
        participation_rate=fmt.pct(participation.submitted / participation.invited)
        if participation.invited else "–",
        participation_chart=charts.bar_list(
            [Bar(fmt._("Invited"), participation.invited),
             Bar(fmt._("Opened their link"), participation.opened),
             Bar(fmt._("Saved a draft"), participation.drafted),
             Bar(fmt._("Submitted their map"), participation.submitted)],
            title=fmt._("Participation"), scale_max=max(participation.invited, 1),
            fmt=lambda v: f"{v:g}"),
        prevalence=_prevalence(analysis, fmt, row_note),
        prevalence_hidden=sum(item.count is None for item in analysis.gap_prevalence),
        purpose=_purpose(analysis, fmt, row_note),
        legend=purpose_legend(program, fmt),
        shares_chart=_boxes(analysis, SHARE_MEASURES, fmt, row_note, 0.0, 1.0, fmt.pct),
        structure_chart=_boxes(analysis, STRUCTURE_MEASURES, fmt, row_note, 0.0, 1.0,
                               lambda v: fmt.dec(v)),
        size_chart=_size_chart(analysis, fmt, row_note),
        change=_change(analysis, fmt, row_note),
        prompts=discussion_prompts(analysis, program, inputs["session"]["number"], fmt,
                                   first_session=inputs["session"].get("first")),
    )
    return ctx


def _maps(raw: dict[str, Any]) -> dict[str, NetworkMap]:
    """Stored maps; one that no longer validates is left out rather than sink the report."""
    maps: dict[str, NetworkMap] = {}
    for pid, data in raw.items():
        try:
            maps[pid] = NetworkMap.model_validate(data)
        except ValidationError as exc:
            logger.warning("group report: skipping a stored map (%s errors)", exc.error_count())
    return maps


def analyze_group(inputs: dict[str, Any], program: Program) -> GroupAnalysis:
    as_of = date.fromisoformat(inputs["as_of"])
    previous = inputs.get("previous")
    counts = inputs["participation"]
    # Per participant id: their ticks (True kept, False not kept, None not sure).
    reviews = {str(pid): [tick if isinstance(tick, bool) else None for tick in ticks]
               for pid, ticks in (inputs.get("reviews") or {}).items()}
    return analyze_session(
        _maps(inputs["maps"]), program, as_of,
        invited=counts["invited"], opened=counts["opened"], drafted=counts["drafted"],
        previous=_maps(previous["maps"]) if previous else None,
        previous_as_of=date.fromisoformat(previous["as_of"]) if previous else None,
        reviews=reviews,
        min_group=MIN_GROUP,
        egos={pid: Ego(function=own.get("function"), industry=own.get("industry"))
              for pid, own in (inputs.get("egos") or {}).items()},
        unsuppressed=bool(inputs.get("facilitator_copy")),
    )


def short_title(title: str) -> str:
    """"Dormant ties" from "Dormant ties", "Insular network" from "Insular network: mostly…"."""
    return title.split(":", 1)[0]


def _prevalence(analysis: GroupAnalysis, fmt: Formatter, not_shown: str) -> Any:
    submitted = analysis.participation.submitted
    bars = [
        Bar(short_title(fmt.text(item.title)), item.share,
            note=not_shown if item.share is None else
            fmt._("{count} of {n} · {share}").format(count=item.count, n=submitted,
                                                     share=fmt.pct(item.share)))
        for item in analysis.gap_prevalence
    ]
    return charts.bar_list(bars, title=fmt._("Common gaps"), scale_max=1.0, fmt=fmt.pct,
                           label_width=256, value_width=176)


def _purpose(analysis: GroupAnalysis, fmt: Formatter, not_shown: str) -> Any:
    """Company or growth per person: each map's shares, their spread, the aim marked."""
    mix = analysis.purpose_mix
    if mix.growth is None or mix.company is None:
        return None
    company = [a.metrics["company_only_share"] for a in analysis.analyses.values()]
    rows: list[Box | tuple[str, str]] = [
        _box("growth_share", fmt._("For growth (or both)"), mix.spread, not_shown),
        _box("company_only_share", fmt._("For the company only"),
             distribution([float(v) for v in company], analysis.min_group), not_shown),
    ]
    return {
        "chart": charts.box_plots(rows, title=fmt._("Company or growth"), low=0.0, high=1.0,
                                  fmt=fmt.pct, ticks=(0, 0.25, 0.5, 0.75, 1.0),
                                  marker=mix.aim),
        # Nouns in a sentence: "the median map has 33%", "ha il 33%" / "lo 0%" in Italian.
        "growth": fmt.pct_the(mix.growth),
        "company": fmt.pct_the(mix.company),
        "both": fmt.pct(mix.both or 0.0),
        "maps": mix.maps,
        "at_aim": mix.at_aim,
        "marker": fmt._("The dashed line marks the program's aim for each map: at least {share} "
                        "of contacts there for growth.").format(share=fmt.pct_the(mix.aim)),
    }


def _box(key: str, label: str, dist: Distribution | None, not_shown: str) -> Box | tuple[str, str]:
    if dist is None:
        return (label, not_shown)
    return Box(label, dist.n, dist.p10, dist.q1, dist.median, dist.q3, dist.p90)


def _boxes(
    analysis: GroupAnalysis, measures: tuple[tuple[str, str], ...], fmt: Formatter,
    not_shown: str, low: float, high: float, value_fmt: Any,
) -> Any:
    boxes = [_box(key, fmt._(label), analysis.distributions.get(key), not_shown)
             for key, label in measures]
    return charts.box_plots(boxes, title=fmt._("How the maps compare"), low=low, high=high,
                            fmt=value_fmt, ticks=(0, 0.25, 0.5, 0.75, 1.0))


def _size_chart(analysis: GroupAnalysis, fmt: Formatter, not_shown: str) -> Any:
    rows = [
        _box("size", fmt._("People on the map"), analysis.distributions.get("size"), not_shown),
        _box("effective_size", fmt._("Bring something new"),
             analysis.distributions.get("effective_size"), not_shown),
        _box("dormant_count", fmt._("Dormant ties"), analysis.distributions.get("dormant_count"),
             not_shown),
    ]
    top = max([r.high for r in rows if isinstance(r, Box)] + [10.0])
    step = 5 if top <= 25 else 10 if top <= 60 else 25
    high = float(step * -(-top // step))
    ticks = [float(t) for t in range(0, int(high) + 1, step)]
    return charts.box_plots(rows, title=fmt._("Size"), low=0.0, high=high,
                            fmt=lambda v: fmt.dec(v, 0), ticks=ticks)


def _change(analysis: GroupAnalysis, fmt: Formatter, not_shown: str) -> dict[str, Any] | None:
    change = analysis.change
    if change is None:
        return None
    if change.suppressed:
        return {"compared": change.compared, "suppressed": True}
    rows: list[tuple[str, float | None, str]] = []
    good: list[bool] = []
    for key, label, kind in CHANGE_MEASURES:
        delta = change.median_deltas.get(key)
        if delta is None:
            rows.append((fmt._(label), None, not_shown))
        else:
            text = fmt.signed(delta, percent=kind == "share", digits=2 if kind == "index" else 1)
            rows.append((fmt._(label), delta / COUNT_SCALE if kind == "count" else delta, text))
        good.append(RISE_IS_GOOD.get(key, True))
    return {
        "compared": change.compared,
        "suppressed": False,
        "chart": charts.diverging_bars(rows, title=fmt._("Change since last session"),
                                       limit=CHANGE_LIMIT, positive_good=good),
        "total": change.commitments_total,
        "kept": change.commitments_kept,
        "not_kept": change.commitments_not_kept,
        "not_sure": change.commitments_not_sure,
        "reconnected": change.dormant_reconnected,
    }
