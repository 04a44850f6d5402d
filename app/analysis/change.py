"""Change between a participant's maps of two sessions."""

from __future__ import annotations

from datetime import date

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
) -> ChangeSummary:
    """What changed from ``previous`` (as of ``previous_as_of``) to ``current`` (as of ``as_of``).

    - ``deltas``: current minus previous for every flat metric key.
    - ``commitments``: the commitments made in the previous map, each checked
      with commitment_kept.
    - ``reconnected``: ids, present in both maps, of contacts that were dormant
      as of ``previous_as_of`` and are not dormant as of ``as_of``.
    - ``added`` / ``removed``: contact ids only in the current / previous map.
    """
    before = flatten_metrics(compute_metrics(previous, program, previous_as_of))
    after = flatten_metrics(compute_metrics(current, program, as_of))
    deltas = {key: after[key] - before[key] for key in after if key in before}

    outcomes = [
        CommitmentOutcome(
            text=commitment.text,
            contact_id=commitment.contact,
            kept=commitment_kept(commitment, previous, current, previous_as_of),
        )
        for commitment in previous.commitments
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


def commitment_kept(
    commitment: Commitment, previous: NetworkMap, current: NetworkMap, previous_as_of: date
) -> bool | None:
    """Whether the contact named by a commitment was met after the session it was made in.

    Kept when the contact's current ``last_contact`` is in or after the month
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
