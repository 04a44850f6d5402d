"""The individual report's template context, built from plain inputs.

Inputs are the JSON-able dict that service.py gathers from the database (and
hashes for the cache); everything here runs in a render worker, so the whole
CPU cost of a report (analysis, charts, layout) is spread over the pool.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from app.analysis import (
    Ego,
    Gap,
    NetworkMap,
    Program,
    analyze_map,
    compare_maps,
    compute_metrics,
    review_answers,
)
from app.analysis.measures import is_dormant, months_since
from app.reports.rendering import charts
from app.reports.rendering.charts import Bar, Segment
from app.reports.rendering.common import mean, page_meta, purpose_legend, purpose_segments
from app.reports.rendering.formatting import Formatter
from app.reports.rendering.reading import number_rows, strengths
from app.reports.rendering.sociogram import COMPACT_ABOVE, Node, legend_keys, sociogram_svg
from app.reports.rendering.svg import PURPOSE_COLOURS, SERIES, UNKNOWN_COLOUR

FULL_GAP_CARDS = 3
# Roles and qualities sit side by side: two charts of 320 px in the 660 px column.
HALF_WIDTH, HALF_LABELS, HALF_VALUES = 320.0, 140.0, 34.0
MAX_HALF_LABELS = 190.0  # leaves the bars 96 px
RECONNECT_ROWS = 6


def individual_context(inputs: dict[str, Any], *, screen: bool = False) -> dict[str, Any]:
    """``screen``: for a browser rather than WeasyPrint (the map's labels differ)."""
    program = Program.model_validate(inputs["program"])
    fmt = Formatter(inputs["language"])
    as_of = date.fromisoformat(inputs["as_of"])
    network = NetworkMap.model_validate(inputs["map"])
    own = inputs["participant"]
    ego = Ego(function=own.get("function"), industry=own.get("industry"))
    analysis = analyze_map(network, program, as_of, ego)
    metrics = analysis.metrics
    months = program.thresholds.dormant_months
    # Every dormant tie is drawn as dormant, also those the reconnect list leaves out.
    dormant = {c.id for c in network.contacts if is_dormant(c, as_of, months)}
    name = inputs["participant"]["name"]
    medians: dict[str, float] = inputs.get("cohort_medians") or {}

    label_width = _half_label_width(
        *(program.label("roles", r, fmt.lang) for r in program.option_ids("roles")),
        *(program.label("qualities", q, fmt.lang) for q in program.option_ids("qualities")))
    ctx = page_meta(inputs, fmt, program)
    ctx.update(
        document_title=fmt._("Network map report") + f" · {name}",
        participant_name=name,
        draft=inputs.get("status") != "submitted",
        headline=_headline(metrics, analysis.gaps, months, fmt),
        strengths=strengths(network, metrics, program, {gap.id for gap in analysis.gaps}, fmt),
        tiles=number_rows(network, metrics, program, medians, fmt),
        medians_shown=bool(medians),
        gaps=[_gap_card(gap, index + 1, program, fmt) for index, gap in
              enumerate(analysis.gaps[:FULL_GAP_CARDS])],
        more_gaps=[fmt.text(gap.title)
                   for gap in analysis.gaps[FULL_GAP_CARDS:]],
        sociogram=sociogram_svg(
            [Node(c.id, c.label, c.purpose, c.closeness, c.id in dormant, tuple(c.qualities),
                  c.origin) for c in network.contacts],
            network.ties, ego_label=fmt._("You"), title=fmt._("Your map"),
            note=fmt._("Labels shown for closest and dormant contacts"), for_pdf=not screen),
        map_compact=len(network.contacts) > COMPACT_ABOVE,
        map_keys=legend_keys(),
        map_qualities={q: program.label("qualities", q, fmt.lang)
                       for q in ("energizes", "drains")},
        legend=purpose_legend(program, fmt),
        balance=charts.balance_bar(
            purpose_segments(_purpose_counts(network), program, fmt),
            title=fmt._("For the company or for you"), fmt=fmt.pct,
            left=program.label("purposes", "company", fmt.lang),
            right=program.label("purposes", "growth", fmt.lang),
            marker=program.thresholds.min_growth_share,
        ),
        balance_marker=fmt._("The mark shows the program's aim: at least {share} of your "
                             "contacts there for your growth.").format(
            share=fmt.pct_the(program.thresholds.min_growth_share)),
        composition=_composition(network, program, as_of, months, fmt),
        roles=_roles_chart(metrics, program, fmt, label_width),
        qualities=_qualities_chart(network, program, fmt, label_width),
        reconnect=[
            {"label": item.label,
             "since": fmt.n_("{n} month", "{n} months", item.months_since).format(
                 n=item.months_since),
             "closeness": item.closeness or 0,
             "purpose": program.label("purposes", item.purpose, fmt.lang) if item.purpose
             else ""}
            for item in analysis.reconnect[:RECONNECT_ROWS]
        ],
        reconnect_more=max(0, len(analysis.reconnect) - RECONNECT_ROWS),
        # Dormant, but left off the list because they drain the participant.
        reconnect_left_out=len(dormant) - len(analysis.reconnect),
        dormant_months=months,
        dormant_count=len(dormant),
        change=_change(inputs, network, program, as_of, metrics, fmt),
        commitments=[
            {"text": c.text, "contact": _named_apart(c.text, _label(network, c.contact))}
            for c in network.commitments
        ],
        blank_commitments=max(0, program.exercise.limits.max_commitments
                              - len(network.commitments)),
    )
    return ctx


def _label(network: NetworkMap, contact_id: str | None) -> str:
    contact = network.contact(contact_id) if contact_id else None
    return contact.label if contact else ""


def _named_apart(text: str, label: str) -> str:
    """The contact's label to show beside a commitment, unless its text already names them.

    "Lunch with A.A." about A.A. reads "Lunch with A.A.", not "Lunch with A.A. (A.A.)".
    """
    return "" if label and label.casefold() in text.casefold() else label


def _half_label_width(*labels: str) -> float:
    """The label column of the side-by-side charts: wide enough for the longest label.

    Role and quality names are whole words ("Community of practice"), never cut;
    a label past the widest column still wraps to its initials only through fit().
    """
    longest = max((charts.text_width(label, charts.LABEL_PX) for label in labels), default=0.0)
    return min(MAX_HALF_LABELS, max(HALF_LABELS, longest + 12.0))


def _purpose_counts(network: NetworkMap) -> dict[str, float]:
    counts = Counter(c.purpose or "unknown" for c in network.contacts)
    return {key: float(value) for key, value in counts.items()}


def _headline(metrics: dict[str, Any], gaps: list[Gap], months: int, fmt: Formatter) -> str:
    size = int(metrics["size"])
    if size == 0:
        return fmt._("Your map is empty so far. Add the people you rely on and who rely on you.")
    if size > 1 and metrics["dormant_count"] == size:
        text = fmt.n_(
            "{n} person on your map: {growth} there for your own growth, quiet for {months} "
            "months or more.",
            "{n} people on your map: {growth} there for your own growth, all of them quiet for "
            "{months} months or more.",
            size,
        )
    elif metrics["dormant_count"]:
        text = fmt.n_(
            "{n} person on your map: {growth} there for your own growth, {dormant} quiet for "
            "{months} months or more.",
            "{n} people on your map: {growth} there for your own growth, {dormant} quiet for "
            "{months} months or more.",
            size,
        )
    else:
        text = fmt.n_(
            "{n} person on your map: {growth} there for your own growth, in touch within "
            "the last {months} months.",
            "{n} people on your map: {growth} there for your own growth, none quiet for "
            "{months} months or more.",
            size,
        )
    text = text.format(n=size, growth=fmt.pct_the(metrics["growth_share"]),
                       dormant=metrics["dormant_count"], months=months)
    if gaps and gaps[0].id == "map_too_small":
        return text + " " + fmt._("Add a few more people first: the rest of this report "
                                  "means more once they are there.")
    if gaps:
        focus = fmt.text(gaps[0].title)
        return text + " " + fmt._("Start with: {focus}.").format(focus=focus)
    return text + " " + fmt._("Nothing is past the program's thresholds: keep the monthly habit.")


def _evidence(gap: Gap, program: Program, fmt: Formatter) -> str:
    e = gap.evidence

    def pct(key: str) -> str:
        value = e.get(key)
        return fmt.pct(float(value)) if isinstance(value, int | float) else "–"

    def the(key: str) -> str:
        value = e.get(key)
        return fmt.pct_the(float(value)) if isinstance(value, int | float) else "–"

    def count(key: str) -> int:
        value = e.get(key)
        return int(value) if isinstance(value, int | float) else 0

    def dec(key: str) -> str:
        value = e.get(key)
        return fmt.dec(float(value)) if isinstance(value, int | float) else "–"

    lines: dict[str, str] = {
        "resilience_deficit": fmt._("{value} for your growth · aim for at least {threshold}")
        .format(value=pct("growth_share"), threshold=pct("threshold")),
        "dormant_ties": fmt.n_("{count} dormant ({share}) · aim for at most {threshold}",
                               "{count} dormant ({share}) · aim for at most {threshold}",
                               count("dormant_count"))
        .format(count=e.get("dormant_count"), share=pct("dormant_share"),
                threshold=pct("threshold")),
        "insular_network": fmt._("{inside} inside, {outside} outside your organization")
        .format(inside=e.get("inside"), outside=e.get("outside")),
        "narrow_network": _narrow_evidence(e, fmt, pct, dec),
        "map_too_small": fmt.n_("{size} person on your map · the analysis needs at least "
                                "{threshold}",
                                "{size} people on your map · the analysis needs at least "
                                "{threshold}", int(e.get("size") or 0))
        .format(size=e.get("size"), threshold=e.get("threshold")),
        "closed_network": fmt._("closed circle {constraint} (aim: at most {max_constraint})"
                                " · {density} of pairs know each other (aim: at most "
                                "{max_density})")
        .format(constraint=dec("constraint"), max_constraint=dec("max_constraint"),
                density=the("density"), max_density=pct("max_density")),
        "one_way_relationships": fmt._("you helped {value} of them in the last 6 months · aim "
                                       "for at least {threshold}")
        .format(value=the("helped_share"), threshold=pct("threshold")),
        "not_a_connector": fmt._("you introduced {value} of them to someone · aim for at least "
                                 "{threshold}")
        .format(value=the("introduced_share"), threshold=pct("threshold")),
        "no_personal_life": fmt.n_("{count} contact from your personal life",
                                   "{count} contacts from your personal life",
                                   count("personal_contacts"))
        .format(count=e.get("personal_contacts")),
        "draining_ties": fmt.n_("{count} draining ({share}) · aim for at most {threshold}",
                                "{count} draining ({share}) · aim for at most {threshold}",
                                count("drains_count"))
        .format(count=e.get("drains_count"), share=pct("drains_share"),
                threshold=pct("threshold")),
    }
    if gap.id == "missing_developmental_roles":
        missing = [m.strip() for m in str(e.get("missing") or "").split(",") if m.strip()]
        names = ", ".join(program.label("roles", role, fmt.lang) for role in missing)
        return fmt._("no one in these roles yet: {roles}").format(roles=names)
    return lines.get(gap.id, "")


def _narrow_evidence(
    e: dict[str, Any], fmt: Formatter, pct: Callable[[str], str], dec: Callable[[str], str]
) -> str:
    """The figures behind the narrow-network gap, for the reason it fired."""
    reason, attribute = e.get("reason"), e.get("narrowest")
    if reason == "same" and attribute == "function":
        return fmt._("{share} in your own function · aim for at most {threshold}").format(
            share=pct("same_function_share"), threshold=pct("max_same_share"))
    if reason == "same" and attribute == "industry":
        return fmt._("{share} in your own industry · aim for at most {threshold}").format(
            share=pct("same_industry_share"), threshold=pct("max_same_share"))
    if reason == "few" and attribute == "function":
        return fmt.n_("{count} different function · aim for at least {threshold}",
                      "{count} different functions · aim for at least {threshold}",
                      int(e.get("distinct.function") or 0)).format(
            count=e.get("distinct.function"), threshold=e.get("min_distinct"))
    if reason == "few" and attribute == "industry":
        return fmt.n_("{count} different industry · aim for at least {threshold}",
                      "{count} different industries · aim for at least {threshold}",
                      int(e.get("distinct.industry") or 0)).format(
            count=e.get("distinct.industry"), threshold=e.get("min_distinct"))
    return fmt._("diversity {value} on a scale of 0 to 1 · aim for at least "
                 "{threshold}").format(value=dec("mean_iqv"), threshold=dec("threshold"))


def _gap_card(gap: Gap, rank: int, program: Program, fmt: Formatter) -> dict[str, Any]:
    severity_labels = {"high": fmt._("high"), "medium": fmt._("medium"), "low": fmt._("low")}
    return {
        "rank": rank,
        "title": fmt.text(gap.title),
        "severity": gap.severity,
        "severity_label": severity_labels.get(gap.severity, gap.severity),
        "evidence": _evidence(gap, program, fmt),
        "next_step": fmt.text(gap.next_step),
    }


def _composition(
    network: NetworkMap, program: Program, as_of: date, months: int, fmt: Formatter
) -> list[dict[str, Any]]:
    """Three 100% bars: origin, inside/outside, and how recently they were in touch."""

    def option_segments(field: str, list_name: str) -> list[Segment]:
        counts = Counter(getattr(c, field) or "" for c in network.contacts)
        segments = [
            Segment(option.label.get(fmt.lang) or option.label["en"], counts.get(option.id, 0),
                    SERIES[index % len(SERIES)])
            for index, option in enumerate(program.options(list_name))
        ]
        if counts.get(""):
            segments.append(Segment(fmt._("not given"), counts[""], UNKNOWN_COLOUR))
        return segments

    buckets: Counter[str] = Counter()
    for contact in network.contacts:
        if contact.last_contact is None:
            buckets["none"] += 1
            continue
        since = months_since(contact.last_contact, as_of)
        buckets["recent" if since < 3 else "year" if since < months else "dormant"] += 1
    recency = [
        Segment(fmt._("under 3 months"), buckets["recent"], "#1e6f78"),
        Segment(fmt._("3 to {months} months").format(months=months - 1), buckets["year"],
                "#7fb7bd"),
        Segment(fmt._("dormant, {months}+ months").format(months=months), buckets["dormant"],
                "#c2452d"),
    ]
    if buckets["none"]:
        recency.append(Segment(fmt._("not given"), buckets["none"], UNKNOWN_COLOUR))
    rows = [
        (fmt._("Where they come from"), option_segments("origin", "origins")),
        (fmt._("Inside or outside"), option_segments("organization", "organizations")),
        (fmt._("Last in touch"), recency),
    ]
    width = charts.CHART_WIDTH - charts.LABEL_WIDTH
    return [
        {"label": label,
         "chart": charts.stacked_row(segments, title=label, width=width),
         "legend": [{"label": s.label, "colour": s.colour} for s in segments]}
        for label, segments in rows
    ]


def _roles_chart(metrics: dict[str, Any], program: Program, fmt: Formatter,
                 label_width: float) -> Any:
    developmental = set(program.thresholds.developmental_roles)
    roles = metrics["roles"]
    bars = [
        Bar(program.label("roles", role, fmt.lang), float(roles.get(role, 0)),
            highlight=role in developmental and not roles.get(role, 0))
        for role in program.option_ids("roles")
    ]
    top = max([b.value or 0 for b in bars] + [1])
    return charts.bar_list(bars, title=fmt._("Roles they play"), scale_max=top,
                           fmt=lambda v: f"{v:g}", width=HALF_WIDTH, label_width=label_width,
                           value_width=HALF_VALUES)


def _qualities_chart(network: NetworkMap, program: Program, fmt: Formatter,
                     label_width: float) -> Any:
    counts = Counter(q for c in network.contacts for q in c.qualities)
    bars = [
        Bar(program.label("qualities", q, fmt.lang), float(counts.get(q, 0)),
            highlight=q == "drains" and counts.get(q, 0) > 0)
        for q in program.option_ids("qualities")
    ]
    top = max([b.value or 0 for b in bars] + [1])
    return charts.bar_list(bars, title=fmt._("How they make you feel"), scale_max=top,
                           fmt=lambda v: f"{v:g}", colour=PURPOSE_COLOURS["growth"],
                           width=HALF_WIDTH, label_width=label_width, value_width=HALF_VALUES)


def _change(
    inputs: dict[str, Any], network: NetworkMap, program: Program, as_of: date,
    metrics: dict[str, Any], fmt: Formatter,
) -> dict[str, Any] | None:
    previous_inputs = inputs.get("previous")
    if not previous_inputs:
        return None
    previous = NetworkMap.model_validate(previous_inputs["map"])
    previous_as_of = date.fromisoformat(previous_inputs["as_of"])
    # Kept is what the participant ticked; the dates only add "in touch since" as a hint.
    summary = compare_maps(previous, network, program, previous_as_of, as_of,
                           review_answers(inputs.get("commitment_review")))
    before = compute_metrics(previous, program, previous_as_of)

    def diversity(m: dict[str, Any]) -> float:
        return mean([float(v) for v in m["iqv"].values()])

    pairs = [
        (fmt._("For your growth"), before["growth_share"], metrics["growth_share"], fmt.pct),
        (fmt._("Dormant ties"), before["dormant_share"], metrics["dormant_share"], fmt.pct),
        (fmt._("Diversity (0 to 1)"), diversity(before), diversity(metrics), fmt.dec),
        (fmt._("You helped"), before["helped_share"], metrics["helped_share"], fmt.pct),
        (fmt._("You introduced"), before["introduced_share"], metrics["introduced_share"],
         fmt.pct),
    ]
    rows = [(label, float(a), float(b), f"{show(a)} → {show(b)}") for label, a, b, show in pairs]
    outcomes = [{"text": o.text, "kept": o.kept, "in_touch": o.in_touch}
                for o in summary.commitments]
    return {
        "chart": charts.dumbbells(rows, title=fmt._("Since last month")),
        "size_line": fmt.n_("{before} → {after} person ({added} added, {removed} removed)",
                            "{before} → {after} people ({added} added, {removed} removed)",
                            len(network.contacts)).format(
            before=len(previous.contacts), after=len(network.contacts), added=summary.added,
            removed=summary.removed),
        "reconnected": [_label(network, cid) for cid in summary.reconnected],
        "outcomes": outcomes,
    }
