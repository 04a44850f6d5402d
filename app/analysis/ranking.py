"""Orderings of contacts: who to name first in a next step or a reconnect list."""

from __future__ import annotations

from datetime import date

from app.analysis.measures import GROWTH_PURPOSES, is_dormant, months_since
from app.analysis.model import Contact, NetworkMap
from app.analysis.results import ReconnectItem


def closest_first(contact: Contact) -> tuple[int, int, str]:
    """Sort key: closeness (high first), then growth purpose first, then label."""
    growth_rank = 0 if contact.purpose in GROWTH_PURPOSES else 1
    return (-(contact.closeness or 0), growth_rank, contact.label.casefold())


def reconnect_list(m: NetworkMap, as_of: date, dormant_months: int) -> list[ReconnectItem]:
    """Dormant contacts, best to reconnect with first.

    Ranked by closeness (high first), then growth or both purpose first, then
    the longest silence, then label. People who drain the participant are left
    out: the list urges time together, and the dormant-ties next step names
    the head of this same list.
    """
    dormant = [
        contact
        for contact in m.contacts
        if is_dormant(contact, as_of, dormant_months) and "drains" not in contact.qualities
    ]
    items = [
        ReconnectItem(
            contact_id=contact.id,
            label=contact.label,
            months_since=months_since(contact.last_contact or "", as_of),
            closeness=contact.closeness,
            purpose=contact.purpose,
        )
        for contact in dormant
    ]
    items.sort(
        key=lambda item: (
            -(item.closeness or 0),
            0 if item.purpose in GROWTH_PURPOSES else 1,
            -item.months_since,
            item.label.casefold(),
        )
    )
    return items
