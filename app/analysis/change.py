"""Change between a participant's maps of two sessions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from app.analysis.measures import compute_metrics, flatten_metrics, is_dormant, month_index
from app.analysis.model import Commitment, NetworkMap
from app.analysis.program import Program
from app.analysis.results import ChangeSummary, CommitmentOutcome


def compare_maps(
    previous: NetworkMap,
    current: NetworkMap,
    program: Program,
    previous_as_of: date,
    as_of: date,
    review: Sequence[bool | None] | None = None,
) -> ChangeSummary:
    """What changed from ``previous`` (as of ``previous_as_of``) to ``current`` (as of ``as_of``).

    - ``deltas``: current minus previous for every flat metric key.
    - ``commitments``: the commitments made in the previous map, each with
      what the participant ticked in ``review`` (kept True, not kept False,
      not sure None; missing answers count as not sure) and, as a hint only,
      whether the dates show they were in touch with the named contact since.
    - ``reconnected``: ids, present in both maps, of contacts that were dormant
      as of ``previous_as_of`` and are not dormant as of ``as_of``.
    - ``added`` / ``removed``: contact ids only in the current / previous map.
    """
    before = flatten_metrics(compute_metrics(previous, program, previous_as_of))
    after = flatten_metrics(compute_metrics(current, program, as_of))
    deltas = {key: after[key] - before[key] for key in after if key in before}

    answers = list(review or [])
    outcomes = [
        CommitmentOutcome(
            text=commitment.text,
            contact_id=commitment.contact,
            kept=answers[index] if index < len(answers) else None,
            in_touch=in_touch_since(commitment, previous, current, previous_as_of),
        )
        for index, commitment in enumerate(previous.commitments)
    ]

    dormant_months = program.thresholds.dormant_months
    previous_by_id = {contact.id: contact for contact in previous.contacts}
    reconnected = [
        contact.id
        for contact in current.contacts
        if contact.id in previous_by_id
        and is_dormant(previous_by_id[contact.id], previous_as_of, dormant_months)
        and not is_dormant(contact, as_of, dormant_months)
        and contact.last_contact is not None
    ]
    current_ids = {contact.id for contact in current.contacts}
    return ChangeSummary(
        deltas=deltas,
        commitments=outcomes,
        reconnected=reconnected,
        added=len(current_ids - previous_by_id.keys()),
        removed=len(previous_by_id.keys() - current_ids),
    )


def review_answers(items: Sequence[Mapping[str, Any]] | None) -> list[bool | None]:
    """The ticks stored with a submission ([{"kept": ...}, ...]) as kept / not kept / not sure."""
    answers: list[bool | None] = []
    for item in items or []:
        kept = item.get("kept") if isinstance(item, Mapping) else None
        answers.append(kept if isinstance(kept, bool) else None)
    return answers


def in_touch_since(
    commitment: Commitment, previous: NetworkMap, current: NetworkMap, previous_as_of: date
) -> bool | None:
    """A hint only: whether the contact named by a commitment was met after that session.

    It never decides whether the commitment was kept; the participant's tick does.
    True when the contact's current ``last_contact`` is in or after the month
    of ``previous_as_of`` and later than the value the previous map recorded
    (months are the finest grain the map has, so a meeting later in the same
    month as the session counts once the month moved on from the old value).
    None when the commitment names no contact; False when the contact has left
    the map or has no last contact.
    """
    if commitment.contact is None:
        return None
    now = current.contact(commitment.contact)
    if now is None or now.last_contact is None:
        return False
    session_month = previous_as_of.year * 12 + previous_as_of.month - 1
    if month_index(now.last_contact) < session_month:
        return False
    before = previous.contact(commitment.contact)
    if before is None or before.last_contact is None:
        return True
    return month_index(now.last_contact) > month_index(before.last_contact)
