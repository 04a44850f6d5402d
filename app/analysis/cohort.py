"""The cohort beside one participant: medians of the key measures of a session's maps.

An individual report shows, next to each key number, the median of the same
number over the session's submitted maps. Privacy (DESIGN.md): a median only
from at least MIN_GROUP maps, never a minimum or maximum.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.analysis.disclosure import MIN_GROUP, median
from app.analysis.diversity import judged_mean_iqv
from app.analysis.measures import compute_metrics, outside_share
from app.analysis.model import NetworkMap
from app.analysis.program import Program

# The key numbers of the individual report, as flat keys.
MEDIAN_KEYS: tuple[str, ...] = (
    "size",
    "growth_share",
    "dormant_count",
    "dormant_share",
    "outside_share",
    "distinct.function",
    "distinct.industry",
    "helped_share",
    "introduced_share",
    "diversity",
    "density",
    "constraint",
    "drains_share",
)


def key_measures(m: NetworkMap, program: Program, as_of: date) -> dict[str, float | None]:
    """The measures of MEDIAN_KEYS for one map, each as the individual report shows it.

    ``outside_share`` is the share outside the participant's organization among the
    contacts whose organization is known; ``diversity`` the mean IQV over the
    attributes the narrow-network gap judges (those at least two contacts filled in).
    Either is None when the map gives nothing to judge it by.
    """
    metrics = compute_metrics(m, program, as_of)
    return {
        "size": float(metrics["size"]),
        "growth_share": float(metrics["growth_share"]),
        "dormant_count": float(metrics["dormant_count"]),
        "dormant_share": float(metrics["dormant_share"]),
        "outside_share": outside_share(m),
        "distinct.function": float(metrics["distinct"]["function"]),
        "distinct.industry": float(metrics["distinct"]["industry"]),
        "helped_share": float(metrics["helped_share"]),
        "introduced_share": float(metrics["introduced_share"]),
        "diversity": judged_mean_iqv(m, metrics["iqv"]),
        "density": float(metrics["density"]),
        "constraint": float(metrics["constraint"]),
        "drains_share": float(metrics["drains_share"]),
    }


def cohort_medians(
    maps: Sequence[NetworkMap], program: Program, as_of: date, min_group: int = MIN_GROUP
) -> dict[str, float]:
    """The median of each key measure over ``maps``; empty under ``min_group`` maps.

    Rounded to 4 decimals, so the report cache sees the same inputs for the
    same cohort on every machine.
    """
    if len(maps) < max(min_group, 1):
        return {}
    per_map = [key_measures(m, program, as_of) for m in maps]
    medians: dict[str, float] = {}
    for key in MEDIAN_KEYS:
        # A map with nothing to judge a measure by is left out of that median (and
        # under min_group maps that do, there is none).
        values = [value for measures in per_map if (value := measures[key]) is not None]
        value = median(values, min_group)
        if value is not None:
            medians[key] = round(value, 4)
    return medians
