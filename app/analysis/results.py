"""Result types of the analysis core.

Everything here is a frozen dataclass holding plain data, and every type has a
``to_json`` that returns JSON-serialisable dicts and lists. Text is stored as
untranslated messages (``app.analysis.text``); the types that hold some take a
``Texts`` (one language's catalog) in ``to_json`` and render it there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from app.analysis.text import Message, Texts

Severity = Literal["high", "medium", "low"]
EvidenceValue = float | int | str | None


@dataclass(frozen=True)
class Gap:
    """A measure past its threshold, with the evidence and a next step.

    ``score`` is in [0, 1] and ranks gaps (higher is more severe); ``contacts``
    lists the ids of the contacts that the next step names.
    """

    id: str
    severity: Severity
    score: float
    evidence: dict[str, EvidenceValue]
    title: Message
    next_step: Message
    contacts: list[str] = field(default_factory=list)

    def to_json(self, texts: Texts) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": texts(self.title),
            "severity": self.severity,
            "evidence": dict(self.evidence),
            "next_step": texts(self.next_step),
            "contacts": list(self.contacts),
        }


@dataclass(frozen=True)
class ReconnectItem:
    """A dormant contact worth reaching out to; the list is ranked best first."""

    contact_id: str
    label: str
    months_since: int
    closeness: int | None
    purpose: str | None

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "contact_id": self.contact_id,
            "label": self.label,
            "months_since": self.months_since,
            "closeness": self.closeness,
            "purpose": self.purpose,
        }


@dataclass(frozen=True)
class MapAnalysis:
    """The analysis of one map: nested metrics, ranked gaps, reconnect list, warnings."""

    metrics: dict[str, Any]
    gaps: list[Gap]
    reconnect: list[ReconnectItem]
    warnings: list[str] = field(default_factory=list)

    def gap_ids(self) -> list[str]:
        return [gap.id for gap in self.gaps]

    def to_json(self, texts: Texts) -> dict[str, Any]:
        return {
            "metrics": _copy_nested(self.metrics),
            "gaps": [gap.to_json(texts) for gap in self.gaps],
            "reconnect": [item.to_json(texts.lang) for item in self.reconnect],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class CommitmentOutcome:
    """A commitment made at the previous session, as the participant ticked it.

    ``kept`` is the participant's own answer: True (kept), False (not kept) or
    None (not sure, or not answered). ``in_touch`` is only a hint from the
    dates on the map: True when the named contact's last contact moved on
    since the session ("you were in touch with them since"), None when no
    contact is named. It never decides ``kept``.
    """

    text: str
    contact_id: str | None
    kept: bool | None
    in_touch: bool | None = None

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {"text": self.text, "contact_id": self.contact_id, "kept": self.kept,
                "in_touch": self.in_touch}


@dataclass(frozen=True)
class ChangeSummary:
    """One participant's change between two submitted maps.

    ``deltas`` maps flat metric keys ("growth_share", "blau.function") to
    current minus previous.
    """

    deltas: dict[str, float]
    commitments: list[CommitmentOutcome]
    reconnected: list[str]
    added: int
    removed: int

    @property
    def commitments_kept(self) -> int:
        return sum(1 for outcome in self.commitments if outcome.kept is True)

    @property
    def commitments_not_kept(self) -> int:
        return sum(1 for outcome in self.commitments if outcome.kept is False)

    @property
    def commitments_not_sure(self) -> int:
        return sum(1 for outcome in self.commitments if outcome.kept is None)

    @property
    def commitments_total(self) -> int:
        return len(self.commitments)

    def to_json(self, lang: str = "en", *, anonymous: bool = False) -> dict[str, Any]:
        """Serialise; ``anonymous=True`` drops commitment texts and contact ids.

        The anonymous form is the one used inside group reports, because
        commitment texts and participant-chosen ids can contain names.
        """
        if anonymous:
            return {
                "deltas": dict(self.deltas),
                "commitments_kept": self.commitments_kept,
                "commitments_not_kept": self.commitments_not_kept,
                "commitments_not_sure": self.commitments_not_sure,
                "commitments_total": self.commitments_total,
                "reconnected": len(self.reconnected),
                "added": self.added,
                "removed": self.removed,
            }
        return {
            "deltas": dict(self.deltas),
            "commitments": [outcome.to_json(lang) for outcome in self.commitments],
            "reconnected": list(self.reconnected),
            "added": self.added,
            "removed": self.removed,
        }


@dataclass(frozen=True)
class Distribution:
    """One measure across participants: P10, quartiles, median and P90.

    Never a minimum or maximum, which would be one person's value; see
    app/analysis/disclosure.py for how the quantiles are computed.
    """

    n: int
    p10: float
    q1: float
    median: float
    q3: float
    p90: float

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "n": self.n,
            "p10": self.p10,
            "q1": self.q1,
            "median": self.median,
            "q3": self.q3,
            "p90": self.p90,
        }


@dataclass(frozen=True)
class GapPrevalence:
    """How many participants have a gap; count and share are None when suppressed."""

    id: str
    title: Message
    count: int | None
    share: float | None

    @property
    def suppressed(self) -> bool:
        return self.count is None

    def to_json(self, texts: Texts) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": texts(self.title),
            "count": self.count,
            "share": self.share,
        }


@dataclass(frozen=True)
class PurposeMix:
    """Company or growth per person: medians of each map's shares, not pooled contacts.

    ``growth`` is the median share of contacts there for growth or both (the
    measure ``growth_share``), ``company`` of those for the company only,
    ``both`` of those for both. ``aim`` is the program's minimum growth share;
    ``at_aim`` the number of maps that reach it (None when suppressed).
    ``spread`` is the distribution of ``growth_share``. Every figure is None
    under ``min_group`` maps.
    """

    maps: int
    company: float | None
    growth: float | None
    both: float | None
    aim: float
    at_aim: int | None
    spread: Distribution | None = None

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "maps": self.maps,
            "company": self.company,
            "growth": self.growth,
            "both": self.both,
            "aim": self.aim,
            "at_aim": self.at_aim,
            "spread": None if self.spread is None else self.spread.to_json(lang),
        }


@dataclass(frozen=True)
class CohortChange:
    """Cohort-level change since the previous session.

    ``compared`` is the number of participants with a submitted map in both
    sessions. Every other figure is None when ``compared`` is below the
    suppression threshold; a median delta is None for the same reason.
    Commitments are counted as participants ticked them (kept, not kept, not
    sure), whether or not they name a contact. A tally is shown when it
    passes the disclosure rule both as commitments (k of ``commitments_total``)
    and as people, and never as the only one hidden, which the total would
    give back (disclosure.disclose_parts).
    """

    compared: int
    median_deltas: dict[str, float | None]
    commitments_total: int | None
    commitments_kept: int | None
    commitments_not_kept: int | None
    commitments_not_sure: int | None
    dormant_reconnected: int | None
    per_participant: dict[str, ChangeSummary] = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return self.commitments_total is None

    def to_json(self, lang: str = "en", *, include_per_participant: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "compared": self.compared,
            "median_deltas": dict(self.median_deltas),
            "commitments_total": self.commitments_total,
            "commitments_kept": self.commitments_kept,
            "commitments_not_kept": self.commitments_not_kept,
            "commitments_not_sure": self.commitments_not_sure,
            "dormant_reconnected": self.dormant_reconnected,
        }
        if include_per_participant:
            data["per_participant"] = {
                pid: summary.to_json(lang, anonymous=True)
                for pid, summary in self.per_participant.items()
            }
        return data


@dataclass(frozen=True)
class Participation:
    invited: int
    opened: int
    drafted: int
    submitted: int

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "invited": self.invited,
            "opened": self.opened,
            "drafted": self.drafted,
            "submitted": self.submitted,
        }


@dataclass(frozen=True)
class GroupAnalysis:
    """The analysis of one session across its submitted maps.

    ``analyses`` (per participant) and ``change.per_participant`` are kept for
    the individual reports; they are not part of ``to_json`` by default,
    because a group report must not describe fewer than ``min_group``
    participants. No contact label appears in ``to_json`` output.
    """

    participation: Participation
    distributions: dict[str, Distribution | None]
    gap_prevalence: list[GapPrevalence]
    purpose_mix: PurposeMix
    change: CohortChange | None
    suppressed: bool
    min_group: int
    analyses: dict[str, MapAnalysis] = field(default_factory=dict)
    facilitator_copy: bool = False

    def to_json(self, texts: Texts, *, include_per_participant: bool = False) -> dict[str, Any]:
        """Serialise; ``include_per_participant`` adds anonymous per-participant change."""
        return {
            "participation": self.participation.to_json(texts.lang),
            "min_group": self.min_group,
            "suppressed": self.suppressed,
            "facilitator_copy": self.facilitator_copy,
            "distributions": {
                key: None if dist is None else dist.to_json(texts.lang)
                for key, dist in self.distributions.items()
            },
            "gap_prevalence": [item.to_json(texts) for item in self.gap_prevalence],
            "purpose_mix": self.purpose_mix.to_json(texts.lang),
            "change": None
            if self.change is None
            else self.change.to_json(texts.lang, include_per_participant=include_per_participant),
        }


def _copy_nested(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _copy_nested(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_copy_nested(item) for item in value]
    return value
