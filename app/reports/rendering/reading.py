"""The individual report's opening: what already works, and the numbers in plain words.

Each number comes with one line on what it means and which direction helps,
the program's aim (from the program file's thresholds) and, when the session
has at least 3 submitted maps, the group's median beside it (service.py passes
the medians in; they are computed nowhere else, so privacy is decided once).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.analysis import NetworkMap, Program
from app.analysis.diversity import filled_counts, judged_attributes, mean_iqv_over
from app.analysis.measures import outside_share
from app.reports.rendering.formatting import Formatter

MAX_STRENGTHS = 4


def outside_aim(program: Program) -> float:
    """The least share outside the organization that keeps the E-I index at its aim.

    With everyone's organization known, E-I = 2 * outside - 1.
    """
    return (1.0 + program.thresholds.min_ei_index) / 2.0


def _row(label: str, meaning: str, value: str, aim: str, met: bool | None,
         median: str | None) -> dict[str, Any]:
    return {"label": label, "meaning": meaning, "value": value, "aim": aim, "met": met,
            "median": median}


def number_rows(network: NetworkMap, metrics: dict[str, Any], program: Program,
                medians: dict[str, float], fmt: Formatter) -> list[dict[str, Any]]:
    """The report's key numbers: label, meaning, value, group median, aim and whether met."""
    t = program.thresholds
    size = int(metrics["size"])
    distinct = metrics["distinct"]
    # Judged as the narrow-network gap judges: an attribute nobody filled in is not "0".
    filled_in = filled_counts(network)
    diversity = mean_iqv_over(metrics["iqv"], judged_attributes(filled_in))
    filled = {a: filled_in[a] for a in ("function", "industry")}
    counted = [a for a in filled if filled[a] >= t.min_map_size]

    def med(key: str, show: Callable[[float], str]) -> str | None:
        return show(medians[key]) if key in medians else None

    def count(value: float) -> str:
        return fmt.dec(value, 0 if float(value).is_integer() else 1)

    outside = outside_share(network)
    at_least = fmt._("at least {value}")
    at_most = fmt._("at most {value}")
    rows = [
        _row(fmt._("People on your map"),
             fmt._("Everyone you listed: the fuller the map, the truer the picture."),
             str(size), at_least.format(value=t.min_map_size),
             size >= t.min_map_size, med("size", count)),
        _row(fmt._("For your growth"),
             fmt._("There for your own learning and career (growth or both). Higher "
                   "helps."),
             fmt.pct(metrics["growth_share"]), at_least.format(value=fmt.pct(t.min_growth_share)),
             metrics["growth_share"] >= t.min_growth_share, med("growth_share", fmt.pct)),
        _row(fmt._("Dormant ties"),
             fmt._("Not really in touch for {months} months or more. Fewer helps; one "
                   "message wakes a tie up.")
             .format(months=t.dormant_months),
             fmt.pct(metrics["dormant_share"]),
             at_most.format(value=fmt.pct(t.max_dormant_share)),
             metrics["dormant_share"] <= t.max_dormant_share, med("dormant_share", fmt.pct)),
        _row(fmt._("Outside your organization"),
             fmt._("They bring views your colleagues cannot. Higher helps."),
             fmt.pct(outside) if outside is not None else "–",
             at_least.format(value=fmt.pct(outside_aim(program))),
             outside >= outside_aim(program) if outside is not None else None,
             med("outside_share", fmt.pct)),
        _row(fmt._("Different functions · industries"),
             fmt._("Kinds of work and sectors on your map. More helps."),
             " · ".join(str(distinct[a]) if filled[a] else "–" for a in filled),
             at_least.format(value=t.min_distinct),
             min(distinct[a] for a in counted) >= t.min_distinct if counted else None,
             f"{count(medians['distinct.function'])} · {count(medians['distinct.industry'])}"
             if "distinct.function" in medians else None),
        _row(fmt._("Diversity (0 to 1)"),
             fmt._("Spread over functions, industries and where you met: 0 all alike, 1 "
                   "evenly spread. Higher helps."),
             fmt.dec(diversity), at_least.format(value=fmt.dec(t.min_mean_iqv)),
             diversity >= t.min_mean_iqv if diversity is not None else None,
             med("diversity", fmt.dec)),
        _row(fmt._("You helped lately"),
             fmt._("Did something useful for them in the last 6 months. Higher helps."),
             fmt.pct(metrics["helped_share"]), at_least.format(value=fmt.pct(t.min_helped_share)),
             metrics["helped_share"] >= t.min_helped_share, med("helped_share", fmt.pct)),
        _row(fmt._("You introduced"),
             fmt._("Introduced to someone else: you as a connector. Higher helps."),
             fmt.pct(metrics["introduced_share"]),
             at_least.format(value=fmt.pct(t.min_introduced_share)),
             metrics["introduced_share"] >= t.min_introduced_share,
             med("introduced_share", fmt.pct)),
    ]
    if size >= t.min_size_for_structure:
        rows += [
            _row(fmt._("Know each other"),
                 fmt._("Pairs of your contacts who know each other. Lower: separate circles, "
                       "each with its own news."),
                 fmt.pct(metrics["density"]), at_most.format(value=fmt.pct(t.max_density)),
                 metrics["density"] <= t.max_density, med("density", fmt.pct)),
            _row(fmt._("Closed circle (0 to 1)"),
                 fmt._("How much your contacts lead back to the same few people. Lower "
                       "helps."),
                 fmt.dec(metrics["constraint"]), at_most.format(value=fmt.dec(t.max_constraint)),
                 metrics["constraint"] <= t.max_constraint, med("constraint", fmt.dec)),
        ]
    if metrics["drains_share"] > 0:
        rows.append(_row(
            fmt._("Draining"),
            fmt._("They usually leave you tired or discouraged. Fewer helps."),
            fmt.pct(metrics["drains_share"]), at_most.format(value=fmt.pct(t.max_drains_share)),
            metrics["drains_share"] <= t.max_drains_share, med("drains_share", fmt.pct)))
    if size == 0:  # an empty map meets no aim: "0% dormant" is no achievement
        for row in rows[1:]:
            row["met"] = None
    return rows


def strengths(network: NetworkMap, metrics: dict[str, Any], program: Program,
              gap_ids: set[str], fmt: Formatter) -> list[str]:
    """What the network already does well, from the same measures, most central first.

    Nothing for a map under the program's minimum size: it asks for a fuller
    map first. A strength never contradicts a gap the report lists.
    """
    t = program.thresholds
    size = int(metrics["size"])
    if size < t.min_map_size:
        return []
    found: list[str] = []
    growth = float(metrics["growth_share"])
    if growth >= t.min_growth_share and "resilience_deficit" not in gap_ids:
        found.append(fmt.sentence(fmt._("{share} of your contacts are there for your growth, "
                                        "at or above the course's aim of {aim}.")
                                  .format(share=fmt.pct_the(growth),
                                          aim=fmt.pct(t.min_growth_share))))
    roles = metrics["roles"]
    wanted = t.developmental_roles
    if wanted and all(roles.get(role, 0) for role in wanted):
        names = ", ".join(program.label("roles", role, fmt.lang) for role in wanted)
        found.append(fmt._("Someone already plays each role that helps you grow: {roles}.")
                     .format(roles=names))
    introduced = sum(1 for c in network.contacts if c.introduced)
    if introduced and "not_a_connector" not in gap_ids:
        found.append(fmt.n_("You act as a connector: you introduced {n} person on your map "
                            "to someone else.",
                            "You act as a connector: you introduced {n} people on your map "
                            "to someone else.", introduced).format(n=introduced))
    distinct = metrics["distinct"]
    if "narrow_network" not in gap_ids and min(distinct["function"],
                                               distinct["industry"]) >= t.min_distinct:
        found.append(fmt._("A broad reach: {functions} different functions and {industries} "
                           "industries.").format(functions=distinct["function"],
                                                 industries=distinct["industry"]))
    outside = outside_share(network)
    if "insular_network" not in gap_ids and outside is not None and outside >= outside_aim(program):
        found.append(fmt.sentence(fmt._("{share} of your contacts work outside your "
                                        "organization, so you hear more than one company's "
                                        "view.").format(share=fmt.pct_the(outside))))
    if metrics["dormant_count"] == 0:
        found.append(fmt._("No dormant ties: you have been in touch with everyone in the last "
                           "{months} months.").format(months=t.dormant_months))
    if "one_way_relationships" not in gap_ids and metrics["helped_share"] >= t.min_helped_share:
        found.append(fmt._("You give as well as take: you helped {share} of your contacts in "
                           "the last 6 months.").format(share=fmt.pct_the(metrics["helped_share"])))
    # Clearly open, not just under the limit: an insider at 45% density is no example.
    if (size >= t.min_size_for_structure and "closed_network" not in gap_ids
            and metrics["density"] <= t.max_density / 2):
        found.append(fmt._("Your contacts come from separate circles, so they bring you news "
                           "you would not hear otherwise."))
    return found[:MAX_STRENGTHS]
