"""The form on a phone (375 px), in English and Italian: a short list of people, one card
open at a time, required fields marked before Submit, and still a plain form without
JavaScript."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.cohorts.schemas import ParticipantIn
from app.cohorts.service import add_participants, create_cohort
from app.facilitators.service import create_facilitator
from app.participation.models import Submission
from app.participation.service import save_map
from app.sessions.service import invitation_token, open_session
from tests.participation.a11y import assert_accessible
from tests.participation.participation_support import contact

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
SCREEN = 667
PEOPLE = 12


def twelve_people() -> dict[str, Any]:
    contacts = [contact(f"p{n}", f"Person {n} <b>", last_contact="2025-0" + str(n % 9 + 1))
                for n in range(PEOPLE)]
    return {
        "contacts": contacts,
        "ties": [[f"p{n}", f"p{n + 1}"] for n in range(PEOPLE - 1)],
        "commitments": [{"text": "Lunch with Person 1", "contact": "p1"},
                        {"text": "Call Person 2", "contact": "p2"}],
    }


def carried_forward(live_server: Any, language: str) -> str:
    """Session 1 submitted with 12 people; session 2 open: its form starts from that map."""
    settings = live_server.settings
    with live_server.database.session() as db:
        facilitator = create_facilitator(
            db, email=f"f-{uuid.uuid4().hex[:8]}@example.org", password="x" * 12, name="F")
        cohort = create_cohort(db, name="Phone cohort", program_id="leadership-8-month",
                               language=language, facilitators=[facilitator])
        add_participants(db, cohort, [ParticipantIn(name="Ada", email="ada@example.org")])
        deadline = datetime.now(UTC) + timedelta(days=7)
        first = open_session(db, settings, cohort, deadline=deadline)
        ada = cohort.participants[0]
        save_map(db, cohort_session=first, participant=ada, program=cohort.program_definition(),
                 data=twelve_people(), submit=True)
        second = open_session(db, settings, cohort, deadline=deadline + timedelta(days=1))
        db.flush()
        invitation = next(i for i in second.invitations if i.participant_id == ada.id)
        return f"{live_server.url}/p/{invitation_token(settings, invitation)}"


def latest(live_server: Any) -> Submission:
    """The newest map stored (session 2's, after session 1's)."""
    with live_server.database.session() as db:
        submission = db.scalars(select(Submission).order_by(Submission.id.desc())).first()
        assert submission is not None
        db.expunge(submission)
        return submission


@pytest.mark.parametrize("language", ["en", "it"])
def test_carried_forward_map_of_twelve_fits_in_eight_screens(
    browser: Any, live_server: Any, language: str
) -> None:
    url = carried_forward(live_server, language)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        cards = page.locator("details.contact-card")
        assert cards.count() >= PEOPLE
        # Collapsed: a list of nicknames, each with what it still needs (all complete here).
        assert page.locator("details.contact-card[open]").count() == 0
        complete = "Complete" if language == "en" else "Completa"
        assert page.locator("#c0 > summary").inner_text().count(complete) == 1
        assert "Person 0 <b>" in page.locator("#c0 > summary").inner_text()  # escaped, shown
        height = page.evaluate("document.documentElement.scrollHeight")
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=f"/tmp/monthb-phone-form-{language}.png", full_page=True)
        print(f"carried-forward map of {PEOPLE}, {language}: {height} px "
              f"({height / SCREEN:.1f} screens), width {width}")
        assert height <= 8 * SCREEN, f"{height} px is {height / SCREEN:.1f} screens"
        assert width <= PHONE["width"]
        assert_accessible(page, f"phone form ({language}, collapsed)")

        # One card open at a time.
        page.locator("#c0 > summary").click()
        page.locator("#c3 > summary").click()
        page.wait_for_function(
            "document.querySelectorAll('details.contact-card[open]').length === 1", timeout=5_000)
        assert page.locator("#c3").evaluate("el => el.open")
        assert page.locator("#c3 abbr.req").count() >= 6  # the required fields, marked
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # Emptying a required field updates the card's mark at once.
        page.locator("#c3-origin").select_option("")
        missing = "Missing: 1" if language == "en" else "Mancano: 1"
        page.locator("#c3 > summary", has_text=missing).wait_for(timeout=5_000)
        page.locator("#c3").screenshot(path=f"/tmp/monthb-phone-card-{language}.png")
        assert_accessible(page, f"phone form ({language}, card open)")
    finally:
        context.close()


def test_laptop_form_is_accessible(page: Any, live_server: Any) -> None:
    for language in ("en", "it"):
        page.goto(carried_forward(live_server, language))
        page.locator("#c1 > summary").click()
        assert_accessible(page, f"laptop form ({language})")


def test_phone_form_without_javascript_submits(browser: Any, live_server: Any) -> None:
    url = carried_forward(live_server, "en")
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(url)
        # No script: the native <details> still opens and closes a card.
        page.locator("#c2 > summary").click()
        page.locator("#c2-last_contact").fill("2025-11")
        page.locator("#m0-text").fill("Coffee with Person 2")
        page.locator("#submit-map").click()
        page.wait_for_url(re.compile(r"/report\?submitted=1$"))
        submission = latest(live_server)
        assert submission.status == "submitted"
        assert len(submission.map["contacts"]) == PEOPLE
        person2 = next(c for c in submission.map["contacts"] if c["id"] == "p2")
        assert person2["last_contact"] == "2025-11"
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "it"])
def test_readable_export_page_on_phone_and_laptop(
    browser: Any, live_server: Any, language: str
) -> None:
    url = carried_forward(live_server, language)
    for viewport in (PHONE, {"width": 1280, "height": 900}):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        try:
            page.goto(url)
            page.locator('.small-links a[href$="/export"]:not([download])').click()
            page.wait_for_url(re.compile(r"/export$"))
            assert page.locator(".export-session").count() == 1
            assert page.locator(".export-people > li").count() == PEOPLE
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            page.screenshot(path=f"/tmp/monthb-export-{language}-{viewport['width']}.png",
                            full_page=True)
            assert_accessible(page, f"export page ({language}, {viewport['width']} px)")
        finally:
            context.close()
