"""The participant's form in headless Debian Chromium, against the real server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from app.participation.models import Submission
from tests.participation.participation_support import seed

pytestmark = pytest.mark.browser


def open_card(page: Any, row: int) -> None:
    """Cards are collapsed to one line each; a tap on a summary opens it (closing the rest)."""
    if not page.locator(f"#c{row}").evaluate("el => el.open"):
        page.locator(f"#c{row} > summary").click()


def fill_contact(page: Any, row: int, label: str, *, purpose: str, organization: str,
                 origin: str, closeness: int, month: str, roles: list[str]) -> None:
    open_card(page, row)
    card = page.locator(f"#c{row}")
    card.locator(f"#c{row}-label").fill(label)
    card.locator("label.chip", has_text=purpose).first.click()
    card.locator("label.chip", has_text=organization).click()
    card.locator(f"#c{row}-origin").select_option(origin)
    card.locator("label.scale-step", has_text=str(closeness)).click()
    card.locator(f"#c{row}-last_contact").fill(month)
    for role in roles:
        card.locator(".group-roles label.chip", has_text=role).click()


def stored(live_server: Any) -> Submission | None:
    with live_server.database.session() as db:
        submission = db.scalar(select(Submission))
        if submission is not None:
            db.expunge(submission)
        return submission


def map_three_people(page: Any, url: str, *, phone: bool = False) -> None:
    page.goto(url)
    assert page.locator("h1").first.inner_text().startswith("My network map")
    fill_contact(page, 0, "M.R.", purpose="For my growth", organization="Outside",
                 origin="former_job", closeness=4, month="2025-09", roles=["Mentor"])
    fill_contact(page, 1, "Gio", purpose="For the company", organization="Inside",
                 origin="current_job", closeness=3, month="2025-10", roles=["Peer"])
    fill_contact(page, 2, "Zia 🌱", purpose="Both", organization="Outside",
                 origin="personal", closeness=5, month="2025-11", roles=["Friend"])
    # JavaScript adds a card in place and keeps who-knows-whom in step with the names.
    page.locator("#add-contact").click()
    page.locator("#c3-label").fill("Tom")
    page.locator("#c3 .remove-button").click()
    assert page.locator("#c3").count() == 0
    open_card(page, 0)
    page.wait_for_function(
        "document.querySelectorAll('details.contact-card[open]').length === 1", timeout=5_000)
    assert "Complete" in page.locator("#c0 .card-state").inner_text()
    page.locator("#c0 .knows-list label.chip", has_text="Gio").click()
    assert page.locator('#c1 input[name="c1.knows"][value]').first.is_checked()
    page.locator("#m0-text").fill("Lunch with M.R.")
    page.locator("#m0-contact").select_option(label="M.R.")
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"sideways scroll on a phone: {width}px"
    # Autosave (debounced PUT with If-Match) reports back.
    page.locator("#save-status", has_text="All changes saved").wait_for(timeout=10_000)


def test_map_save_reload_submit_and_report(page: Any, live_server: Any) -> None:
    url = seed(live_server)
    map_three_people(page, url)
    page.screenshot(path="/tmp/participant-form-laptop.png", full_page=True)
    page.locator("#save-draft").click()
    page.wait_for_url(re.compile(r"\?saved=1$"))
    assert "Draft saved" in page.locator("#flash").inner_text()

    page.reload()
    assert page.locator("#c0-label").input_value() == "M.R."
    assert page.locator("#c2-label").input_value() == "Zia 🌱"
    assert page.locator('#c0 input[name="c0.knows"]:checked').count() == 1
    assert page.locator("#m0-contact").input_value() == "a" or page.locator(
        "#m0-contact option:checked").inner_text() == "M.R."
    submission = stored(live_server)
    assert submission is not None and submission.status == "draft"
    assert len(submission.map["contacts"]) == 3 and len(submission.map["ties"]) == 1

    page.locator("#submit-map").click()
    page.wait_for_url(re.compile(r"/report\?submitted=1$"))
    assert page.locator(".map-intro").inner_text().count("My report") == 1
    assert page.locator("h1").count() == 1
    page.screenshot(path="/tmp/participant-report-laptop.png", full_page=True)
    submission = stored(live_server)
    assert submission is not None and submission.status == "submitted"


def test_phone_viewport_has_no_sideways_scroll(browser: Any, live_server: Any) -> None:
    url = seed(live_server)
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        map_three_people(page, url, phone=True)
        page.screenshot(path="/tmp/participant-form-phone.png", full_page=True)
        page.locator("#submit-map").click()
        page.wait_for_url(re.compile(r"/report\?submitted=1$"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path="/tmp/participant-report-phone.png", full_page=True)
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_italian_form(page: Any, live_server: Any) -> None:
    url = seed(live_server, language="it")
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "it"
    assert page.locator("h1").first.inner_text().startswith("La mia mappa relazionale")
    assert page.locator("#c0 label.chip", has_text="Per la mia crescita").count() == 1
    # Required fields are marked before Submit, visibly and for screen readers.
    assert page.locator("label[for=c0-label]").inner_text() == "Soprannome o iniziali *"
    assert page.locator("#c0-label").get_attribute("aria-required") == "true"
    assert page.locator("#c0-purpose").get_attribute("aria-required") == "true"
    page.locator("#c0-label").fill("M.R.")
    page.locator("#save-draft").click()
    page.wait_for_url(re.compile(r"\?saved=1$"))
    assert "Bozza salvata" in page.locator("#flash").inner_text()
    page.screenshot(path="/tmp/participant-form-it.png", full_page=True)
    # The switcher changes the language and remembers it.
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").first.inner_text().startswith("My network map")
