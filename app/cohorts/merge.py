"""Merging a roster file into a cohort: a preview of what it would do, then doing it.

People are matched by email. A row with a new email adds a person; a row with a known
email updates the fields whose cells differ. An empty cell, or a column the file does not
have, keeps what is stored: a shorter export never erases data. Nobody is removed.

`plan_merge` only reads. `apply_merge` plans again from the same file against the
current roster (someone may have edited it since the preview) and refuses when the
result differs from the plan the facilitator confirmed, or when any row has a problem:
then nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.cohorts.models import Cohort, Participant
from app.cohorts.roster import RosterFile, RowProblem, read_roster
from app.cohorts.schemas import ParticipantIn
from app.core.errors import Conflict, Invalid

MERGED_FIELDS = ("name", "organization", "function", "industry", "language")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str


@dataclass
class ChangedRow:
    row: int
    participant: Participant
    changes: list[FieldChange]


@dataclass
class NewRow:
    row: int
    person: ParticipantIn


@dataclass
class MergePlan:
    new: list[NewRow] = field(default_factory=list)
    changed: list[ChangedRow] = field(default_factory=list)
    unchanged: list[tuple[int, Participant]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """A fingerprint of what applying would do: confirming checks it still holds."""
        actions = {
            "new": [row.person.model_dump() for row in self.new],
            "changed": [
                [row.participant.id, [[c.field, c.old, c.new] for c in row.changes]]
                for row in self.changed
            ],
        }
        return hashlib.sha256(json.dumps(actions, sort_keys=True).encode()).hexdigest()[:32]


def plan_from(cohort: Cohort, roster: RosterFile) -> MergePlan:
    by_email = {p.email.lower(): p for p in cohort.participants}
    plan = MergePlan(problems=list(roster.problems))
    for line, person in roster.rows:
        existing = by_email.get(person.email)
        if existing is None:
            plan.new.append(NewRow(line, person))
            continue
        changes = []
        for name in MERGED_FIELDS:
            if name not in roster.columns:
                continue
            new = getattr(person, name)
            old = getattr(existing, name)
            if new is not None and new != old:
                changes.append(FieldChange(name, old, new))
        if changes:
            plan.changed.append(ChangedRow(line, existing, changes))
        else:
            plan.unchanged.append((line, existing))
    return plan


def plan_merge(cohort: Cohort, text: str) -> MergePlan:
    """What merging this roster CSV would do; raises Invalid only for whole-file problems."""
    return plan_from(cohort, read_roster(text))


class PlanChanged(Conflict):
    """The roster changed between the preview and the confirmation."""

    def __init__(self) -> None:
        super().__init__(
            "roster: the cohort's roster changed since the preview; preview the file again"
        )


def apply_merge(
    db: Session, cohort: Cohort, text: str, *, expected_digest: str | None = None
) -> tuple[MergePlan, list[Participant]]:
    """Re-check and apply: update the changed people, add the new ones (returned).

    Raises Invalid (every row problem) or PlanChanged before writing anything.
    """
    plan = plan_merge(cohort, text)
    if plan.problems:
        raise Invalid([str(problem) for problem in plan.problems])
    if expected_digest is not None and expected_digest != plan.digest:
        raise PlanChanged
    for row in plan.changed:
        for change in row.changes:
            setattr(row.participant, change.field, change.new)
    added = [Participant(cohort=cohort, **row.person.model_dump()) for row in plan.new]
    db.add_all(added)
    db.flush()
    return plan, added
