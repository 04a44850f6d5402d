"""Response shapes of the dashboard API: the group analysis of a session."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.core.schemas import examples


class DistributionOut(BaseModel):
    n: int
    min: float
    q1: float
    median: float
    q3: float
    max: float


class GapShare(BaseModel):
    id: str
    title: str
    count: int | None = Field(description="null when fewer than min_group participants.")
    share: float | None


class PurposeMixOut(BaseModel):
    contacts: int | None
    company: float | None
    growth: float | None
    both: float | None


class ParticipationOut(BaseModel):
    invited: int
    opened: int
    drafted: int
    submitted: int


class CohortChangeOut(BaseModel):
    compared: int
    median_deltas: dict[str, float | None]
    commitments_kept: int | None
    commitments_checked: int | None
    dormant_reconnected: int | None


class GroupOut(BaseModel):
    """The group analysis: figures about fewer than `min_group` people are null."""

    model_config = examples({
        "participation": {"invited": 8, "opened": 7, "drafted": 1, "submitted": 5},
        "min_group": 3, "suppressed": False,
        "distributions": {"size": {"n": 5, "min": 9, "q1": 11, "median": 12, "q3": 14,
                                   "max": 16}},
        "gap_prevalence": [{"id": "dormant_ties", "title": "Dormant ties", "count": 4,
                            "share": 0.8}],
        "purpose_mix": {"contacts": 62, "company": 0.4, "growth": 0.35, "both": 0.25},
        "change": None,
    })

    participation: ParticipationOut
    min_group: int
    suppressed: bool
    distributions: dict[str, DistributionOut | None]
    gap_prevalence: list[GapShare]
    purpose_mix: PurposeMixOut
    change: CohortChangeOut | None
