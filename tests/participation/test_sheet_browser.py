"""A paper worksheet of 15 people typed into the entry grid in Chromium, keyboard only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from app.participation.models import Submission
from tests.participation.a11y import assert_accessible
from tests.participation.participation_support import seed

pytestmark = pytest.mark.browser

PEOPLE = 15


def sheet_row(n: int) -> list[str]:
    """One row of the filled sheet, cell by cell in the sheet's order; "x" ticks a box."""
    return [
        f"P{n}",  # nickname
        str(n % 3 + 1),  # purpose
        str(n % 2 + 1),  # organization
        str(n % 5 + 1),  # origin
        str(n % 5 + 1),  # closeness
        f"2025-{n % 12 + 1:02d}",  # last contact
        f"{n % 8 + 1} {(n + 3) % 8 + 1}",  # roles: two codes
        "Finance" if n % 2 else "",  # function
        "Health",  # industry
        str(n % 4 + 1),  # qualities
        "x" if n % 2 else "",  # I helped them
        "x" if n % 3 == 0 else "",  # they helped me
        "",  # I introduced them
        str(n + 1) if n < PEOPLE else "",  # knows: the next row
    ]


def type_cell(page: Any, value: str) -> None:
    if value == "x":
        page.keyboard.press("Space")
    elif value:
        page.keyboard.type(value)
    page.keyboard.press("Tab")


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def test_a_sheet_of_fifteen_typed_with_the_keyboard_only(page: Any, live_server: Any) -> None:
    url = seed(live_server)
    page.goto(url + "/sheet")
    assert page.locator("h1").inner_text() == "Type in a paper worksheet"
    # From the top of the page, Tab to the first cell.
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page) == "r1-label":
            break
    assert focused(page) == "r1-label"
    for n in range(1, PEOPLE + 1):
        assert focused(page) == f"r{n}-label", f"row {n} starts at {focused(page)}"
        for value in sheet_row(n):
            type_cell(page, value)
    page.screenshot(path="/tmp/monthb-sheet-typed.png", full_page=True)
    # Past "Add more rows", the commitments, then Submit.
    page.keyboard.press("Tab")
    assert focused(page) == "m1-text"
    page.keyboard.type("Lunch with P3")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    for _ in range(4):  # commitments 2 and 3, left empty
        page.keyboard.press("Tab")
    assert focused(page) == "m3-with"
    page.keyboard.press("Tab")
    assert focused(page) == "save-draft"
    page.keyboard.press("Tab")
    assert focused(page) == "submit-map"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/report\?submitted=1$"))

    with live_server.database.session() as db:
        submission = db.scalar(select(Submission))
        assert submission is not None
        data = submission.map
        status = submission.status
    assert status == "submitted"
    contacts = data["contacts"]
    assert [c["label"] for c in contacts] == [f"P{n}" for n in range(1, PEOPLE + 1)]
    purposes = ["company", "growth", "both"]
    roles = ["mentor", "sponsor", "way_shower", "community", "peer", "client", "industry",
             "friend"]
    origins = ["current_job", "former_job", "profession", "education", "personal"]
    for n, contact in enumerate(contacts, 1):
        assert contact["purpose"] == purposes[n % 3], n
        assert contact["organization"] == ["inside", "outside"][n % 2], n
        assert contact["origin"] == origins[n % 5], n
        assert contact["closeness"] == n % 5 + 1, n
        assert contact["last_contact"] == f"2025-{n % 12 + 1:02d}", n
        assert contact["roles"] == [roles[n % 8], roles[(n + 3) % 8]], n
        assert contact["i_helped"] is bool(n % 2) and contact["they_helped"] is (n % 3 == 0)
        assert contact["introduced"] is False
        assert contact.get("function") == ("Finance" if n % 2 else None), n
    ids = [c["id"] for c in contacts]
    assert sorted(map(sorted, data["ties"])) == sorted(
        sorted([ids[n], ids[n + 1]]) for n in range(PEOPLE - 1))
    assert data["commitments"] == [{"text": "Lunch with P3", "contact": ids[2]}]


@pytest.mark.parametrize("language", ["en", "it"])
def test_grid_is_accessible_at_laptop_and_phone_width(
    browser: Any, live_server: Any, language: str
) -> None:
    url = seed(live_server, language=language) + "/sheet"
    for width, height in ((1280, 900), (375, 667)):
        context = browser.new_context(viewport={"width": width, "height": height})
        grid_page = context.new_page()
        try:
            grid_page.goto(url)
            assert grid_page.locator("html").get_attribute("lang") == language
            # The grid scrolls inside its frame; the page itself never sideways.
            assert grid_page.evaluate("document.documentElement.scrollWidth") <= width
            grid_page.screenshot(path=f"/tmp/monthb-sheet-{language}-{width}.png")
            assert_accessible(grid_page, f"entry grid ({language}, {width} px)")
        finally:
            context.close()
