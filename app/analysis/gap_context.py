"""What every gap detector works with: the context of one map and the gap builder.

Severity follows a gap's score in [0, 1]: high from 0.5, medium from 0.25, low
below. ``shortfall`` turns a measure past its threshold into such a score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.analysis import advice
from app.analysis.measures import Ego
from app.analysis.model import Contact, NetworkMap
from app.analysis.program import Program
from app.analysis.results import Gap, ReconnectItem, Severity
from app.analysis.text import Message


@dataclass(frozen=True)
class GapContext:
    """What every detector needs: the map, program, metrics and a few lookups."""

    map: NetworkMap
    program: Program
    metrics: dict[str, Any]
    as_of: date
    reconnect: list[ReconnectItem]
    neighbours: dict[str, frozenset[str]]  # contact id -> contacts it is tied to
    ego: Ego = field(default_factory=Ego)

    @property
    def size(self) -> int:
        return len(self.map.contacts)

    @property
    def nameable(self) -> list[Contact]:
        """The contacts a next step may name: nobody who drains the participant."""
        return [contact for contact in self.map.contacts if "drains" not in contact.qualities]

    def labels(self, contacts: Sequence[Contact]) -> list[str]:
        return [contact.label for contact in contacts]


def severity_for(score: float) -> Severity:
    if score >= 0.5:
        return "high"
    if score >= 0.25:
        return "medium"
    return "low"


def shortfall(value: float, threshold: float, worst: float) -> float:
    """How far ``value`` is past ``threshold`` towards ``worst``, clamped to [0, 1]."""
    span = threshold - worst
    if span == 0:
        return 1.0
    return min(1.0, max(0.0, (threshold - value) / span))


def make_gap(
    gap_id: str,
    score: float,
    evidence: dict[str, float | int | str | None],
    next_step: Message,
    contacts: Sequence[Contact] = (),
    title: Message | None = None,
) -> Gap:
    return Gap(
        id=gap_id,
        severity=severity_for(score),
        score=score,
        evidence=evidence,
        title=title or advice.title(gap_id),
        next_step=next_step,
        contacts=[contact.id for contact in contacts],
    )
