"""Response shapes of the dashboard API: the group analysis of a session."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.core.schemas import examples


class DistributionOut(BaseModel):
    """P10, quartiles, median and P90; never a minimum or maximum (one person's value)."""

    n: int
    p10: float
    q1: float
    median: float
    q3: float
    p90: float


class GapShare(BaseModel):
    id: str
    title: str
    count: int | None = Field(
        description="null unless 0, all, or both it and the rest are at least min_group.")
    share: float | None


class PurposeMixOut(BaseModel):
    """Company or growth per person: medians of each map's shares."""

    maps: int
    company: float | None
    growth: float | None
    both: float | None
    aim: float = Field(description="The program's aim: the least growth share of a map.")
    at_aim: int | None = Field(description="Maps reaching the aim; null when suppressed.")
    spread: DistributionOut | None


class ParticipationOut(BaseModel):
    invited: int
    opened: int
    drafted: int
    submitted: int


class CohortChangeOut(BaseModel):
    compared: int
    median_deltas: dict[str, float | None]
    commitments_total: int | None
    commitments_kept: int | None = Field(description="As ticked by participants.")
    commitments_not_kept: int | None
    commitments_not_sure: int | None
    dormant_reconnected: int | None


class GroupOut(BaseModel):
    """The group analysis: figures about fewer than `min_group` people are null."""

    model_config = examples({
        "participation": {"invited": 8, "opened": 7, "drafted": 1, "submitted": 5},
        "min_group": 3, "suppressed": False,
        "distributions": {"size": {"n": 5, "p10": 10, "q1": 11, "median": 12, "q3": 14,
                                   "p90": 15}},
        "gap_prevalence": [{"id": "dormant_ties", "title": "Dormant ties", "count": 5,
                            "share": 1.0}],
        # 3 of 5 maps at the aim would single out the other 2: null.
        "purpose_mix": {"maps": 5, "company": 0.4, "growth": 0.5, "both": 0.2, "aim": 0.4,
                        "at_aim": None,
                        "spread": {"n": 5, "p10": 0.4, "q1": 0.4, "median": 0.5, "q3": 0.6,
                                   "p90": 0.6}},
        "change": None,
    })

    participation: ParticipationOut
    min_group: int
    suppressed: bool
    facilitator_copy: bool = False
    distributions: dict[str, DistributionOut | None]
    gap_prevalence: list[GapShare]
    purpose_mix: PurposeMixOut
    change: CohortChangeOut | None
