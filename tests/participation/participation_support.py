"""Maps for the participant tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from app.cohorts.schemas import ParticipantIn
from app.cohorts.service import add_participants, create_cohort
from app.facilitators.service import create_facilitator
from app.sessions.service import invitation_token, open_session


def contact(contact_id: str, label: str, **fields: Any) -> dict[str, Any]:
    """A complete contact (ready to submit), with overrides."""
    return {
        "id": contact_id, "label": label, "purpose": "growth", "roles": ["mentor"],
        "origin": "former_job", "organization": "outside", "function": "Finance",
        "industry": "Health", "qualities": ["energizes"], "closeness": 4,
        "last_contact": "2025-09", "i_helped": True, "they_helped": False, "introduced": False,
        **fields,
    }


def sample_map() -> dict[str, Any]:
    return {
        "contacts": [
            contact("a", "M.R."),
            contact("b", "Gio", purpose="company", roles=["peer"], origin="current_job",
                    organization="inside", closeness=3, last_contact="2025-10"),
            contact("c", "Zia", purpose="both", roles=["friend"], origin="personal"),
        ],
        "ties": [["a", "b"]],
        "commitments": [{"text": "Lunch with M.R.", "contact": "a"}],
    }


def seed(live_server: Any, language: str = "en") -> str:
    """A cohort with one open session; returns the first participant's link."""
    return seed_links(live_server, language)[0]


def seed_links(live_server: Any, language: str = "en",
               names: tuple[str, ...] = ("Ada", "Bo")) -> list[str]:
    """A cohort of ``names`` with one open session; returns their links, in that order."""
    settings = live_server.settings
    with live_server.database.session() as db:
        facilitator = create_facilitator(
            db, email=f"f-{uuid.uuid4().hex[:8]}@example.org", password="x" * 12, name="F"
        )
        cohort = create_cohort(
            db, name="Browser cohort", program_id="leadership-8-month", language=language,
            facilitators=[facilitator],
        )
        add_participants(db, cohort, [
            ParticipantIn(name=name, email=f"{name.lower()}@example.org", organization="Acme")
            for name in names
        ])
        session = open_session(db, settings, cohort, deadline=datetime.now(UTC) + timedelta(days=7))
        db.flush()
        by_name = {i.participant.name: i for i in session.invitations}
        return [f"{live_server.url}/p/{invitation_token(settings, by_name[name])}"
                for name in names]
