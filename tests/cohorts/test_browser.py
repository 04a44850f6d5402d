"""A facilitator's month in headless Chromium: sign in, create a cohort from the example
roster, open a session, copy a link, watch a submission arrive, download the pack."""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from app.demo import generate_map
from app.facilitators.service import create_facilitator
from app.participation.service import save_map
from app.sessions.service import find_invitation

REPO_ROOT = Path(__file__).resolve().parents[2]

ROSTER = REPO_ROOT / "cohorts" / "example" / "roster.csv"
SHOTS = Path(os.environ.get("WELLSPRING_SCREENSHOTS", "/tmp/wellspring-screenshots"))

pytestmark = pytest.mark.browser


def submit_for(live_server: Any, link: str) -> str:
    """The participant behind `link` submits a map; returns their name."""
    token = link.rsplit("/", 1)[1]
    with live_server.database.session() as db:
        invitation = find_invitation(db, token)
        assert invitation is not None
        cohort_session = invitation.session
        data = generate_map(random.Random(7), 9, as_of=datetime.now(UTC).date())
        save_map(db, cohort_session=cohort_session, participant=invitation.participant,
                 program=cohort_session.cohort.program_definition(), data=data, submit=True)
        return invitation.participant.name


def test_a_facilitators_month(live_server: Any, page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server.database.session() as db:
        create_facilitator(db, email="giulia@example.org", password="a-long-password",
                           name="Giulia Ferrante")
    base = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.clock.install()  # fake timers: the dashboard's 10-second poll runs on demand

    # Sign in.
    page.goto(f"{base}/cohorts")
    expect(page).to_have_url(f"{base}/login?next=%2Fcohorts")
    page.screenshot(path=str(SHOTS / "login.png"))
    page.get_by_label("Email").fill("giulia@example.org")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your cohorts")).to_be_visible()

    # A cohort from the example roster.
    page.get_by_role("link", name="Create your first cohort").click()
    page.get_by_label("Cohort name").fill("Autumn leadership cohort")
    page.get_by_label("Roster (CSV)").set_input_files(str(ROSTER))
    page.screenshot(path=str(SHOTS / "new-cohort.png"), full_page=True)
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_text("The cohort was created.")).to_be_visible()
    expect(page.locator("table.roster tbody tr")).to_have_count(8)
    page.screenshot(path=str(SHOTS / "cohort.png"), full_page=True)

    # Open the first session.
    page.get_by_role("button", name="Open session").click()
    expect(page.get_by_role("heading", name="Session 1 of 8: Leading yourself")).to_be_visible()
    rows = page.locator("table.links tbody tr")
    expect(rows).to_have_count(8)

    # Copy the first participant's link: the clipboard holds the link shown on the page.
    first = rows.first
    shown = first.locator("code.link-text").inner_text().strip()
    assert shown.startswith(f"{base}/p/")
    first.get_by_role("button", name="Copy").click()
    expect(first.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == shown

    # "Copy all links": one "name: link" line per participant, the first one as shown.
    page.locator("#copy-all-links").click()
    expect(page.locator("#copy-all-links")).to_have_text("Copied")
    lines = page.evaluate("navigator.clipboard.readText()").strip().splitlines()
    assert len(lines) == 8
    first_name = first.locator("strong").inner_text().strip()
    assert lines[0] == f"{first_name}: {shown}"
    assert all(": " + base + "/p/" in line for line in lines)

    # The participant submits; the dashboard picks it up on its next poll.
    name = submit_for(live_server, shown)
    assert name in first.inner_text()
    expect(first.locator("[data-status]")).to_have_text("Not opened")
    page.clock.run_for(11_000)
    expect(first.locator("[data-status]")).to_have_text("Submitted")
    expect(page.locator('[data-count="submitted"]')).to_have_text("1")
    expect(page.locator("[data-summary-stale]")).to_be_visible()
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)

    # Download the printable pack.
    with page.expect_download(timeout=120_000) as download_info:
        page.get_by_role("link", name="Session pack (one PDF)").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == ".pdf" and target.read_bytes().startswith(b"%PDF")

    # The page is in Italian on request.
    page.goto(base + urlsplit(page.url).path + "?lang=it")
    expect(page.get_by_role("heading", name="Partecipanti e link")).to_be_visible()
    page.screenshot(path=str(SHOTS / "dashboard-it.png"), full_page=True)
