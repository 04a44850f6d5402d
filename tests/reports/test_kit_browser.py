"""The session page's kit button in Chromium, at 1280 and 375 px, and the PDF behind it."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from app.facilitators.service import create_facilitator
from tests.factories import build_cohort

SHOTS = Path(os.environ.get("WELLSPRING_SCREENSHOTS", "/tmp/wellspring-screenshots"))


def test_the_kit_button_on_the_session_page(live_server: Any, page: Any) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server.database.session() as db:
        facilitator = create_facilitator(db, email="kit@example.org",
                                         password="a-long-password", name="Kit Tester")
        cohort_session = build_cohort(db, participants=6, contacts=10, seed=4)
        cohort_session.cohort.facilitators.append(facilitator)
        session_id = cohort_session.id
        db.commit()
    base = live_server.url
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill("kit@example.org")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/sessions/{session_id}")
    button = page.get_by_role("link", name="Facilitation kit (PDF)")
    expect(button).to_be_visible()
    page.screenshot(path=str(SHOTS / "room-kit-session-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.screenshot(path=str(SHOTS / "room-kit-session-375.png"), full_page=True)
    # The button's link, fetched with the page's signed-in cookies, is the kit.
    href = button.get_attribute("href")
    assert href == f"/api/v1/sessions/{session_id}/reports/kit.pdf"
    response = page.request.get(f"{base}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    assert "Facilitation kit" in (reader.metadata.title or "")  # type: ignore[union-attr]
