"""The debrief slides in Chromium at a projector's 1920x1080: keys move, nothing overflows,
no contact label or suppressed count reaches the page, and axe finds nothing serious."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from app.facilitators.service import create_facilitator
from app.participation.models import Submission
from tests.factories import build_cohort

SHOTS = Path(os.environ.get("WELLSPRING_SCREENSHOTS", "/tmp/wellspring-screenshots"))
PASSWORD = "a-long-password"

pytestmark = pytest.mark.browser


def _cohort(
    live_server: Any, email: str, language: str, participants: int
) -> tuple[int, list[str]]:
    """A cohort with two sessions in the live server's database; returns session 2 and labels."""
    with live_server.database.session() as db:
        facilitator = create_facilitator(db, email=email, password=PASSWORD, name="Giulia")
        second = build_cohort(db, participants=participants, contacts=10, language=language,
                              seed=participants)
        second.cohort.facilitators.append(facilitator)
        labels = [contact["label"] for sub in db.query(Submission).all()
                  for contact in sub.map["contacts"] if len(contact["label"]) >= 4]
        db.flush()
        return second.id, labels


def _sign_in(page: Any, base: str, email: str, target: str) -> None:
    page.goto(f"{base}/login?next={target}")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base}{target}")


def _visible(page: Any) -> str:
    return str(page.locator(".slide:not([hidden])").get_attribute("id"))


def _no_horizontal_overflow(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " Math.max(...[...document.querySelectorAll('.slide:not([hidden]) *')]"
        ".map(e => e.getBoundingClientRect().right))]")
    scroll_width, client_width, rightmost = widths
    assert scroll_width <= client_width, widths
    assert rightmost <= client_width + 1, widths


def _serious_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize(("language", "participants", "words"), [
    ("en", 8, {"next": "Next", "gaps": "Common gaps", "change": "Change since last month"}),
    ("it", 5, {"next": "Avanti", "gaps": "Lacune più comuni",
               "change": "Cambiamenti dall'ultimo mese"}),
])
def test_the_debrief_on_a_projector(
    live_server: Any, browser: Any, language: str, participants: int, words: dict[str, str],
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    email = f"debrief-{language}@example.org"
    session_id, labels = _cohort(live_server, email, language, participants)
    assert labels
    base = live_server.url
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        _sign_in(page, base, email, f"/sessions/{session_id}")
        page.get_by_role("link", name=re.compile("Debrief|Debriefing")).click()
        # debrief.js names the slide in the address (#slide-1) as soon as it runs: an
        # exact match raced it and waited for a navigation that never came.
        page.wait_for_url(re.compile(re.escape(f"{base}/sessions/{session_id}/debrief")
                                     + r"(#slide-\d+)?$"))
        assert page.locator("html").get_attribute("lang") == language

        slides = page.locator(".deck > .slide")
        total = slides.count()
        assert total >= 6
        assert page.locator("[data-total]").inner_text() == str(total)
        assert _visible(page) == "slide-1"
        page.screenshot(path=str(SHOTS / f"debrief-{language}-1.png"))

        # Move with the keyboard and a clicker; the counter follows.
        page.keyboard.press("ArrowRight")
        assert _visible(page) == "slide-2"
        page.keyboard.press("PageDown")
        assert _visible(page) == "slide-3"
        assert page.locator("[data-current]").inner_text() == "3"
        page.keyboard.press("ArrowLeft")
        assert _visible(page) == "slide-2"
        page.keyboard.press("PageUp")
        assert _visible(page) == "slide-1"
        page.keyboard.press("End")
        assert _visible(page) == f"slide-{total}"
        page.keyboard.press("ArrowRight")  # stays on the last
        assert _visible(page) == f"slide-{total}"
        page.keyboard.press("Home")
        page.keyboard.press("Space")
        assert _visible(page) == "slide-2"
        page.get_by_role("button", name=words["next"]).click()
        assert _visible(page) == "slide-3"

        # Every slide: on screen whole, looked at, accessible.
        for number in range(1, total + 1):
            page.goto(f"{base}/sessions/{session_id}/debrief#slide-{number}")
            assert _visible(page) == f"slide-{number}"
            _no_horizontal_overflow(page)
            page.screenshot(path=str(SHOTS / f"debrief-{language}-{number}.png"))
            assert _serious_violations(page) == [], number
        text = " ".join(str(page.evaluate("document.body.textContent")).split())
        headings = page.locator(".slide h2").all_text_contents()
        assert words["gaps"] in headings and words["change"] in headings, headings

        # Anonymised as the group report: no contact label anywhere in the DOM.
        html = page.content()
        for label in labels:
            assert label not in html, label
        # Suppressed counts: only "k of n" with k shown by the rule reaches the page.
        n = participants
        for k, total_n in re.findall(r"\b(\d+) (?:of|su) (\d+)\b", text):
            if int(total_n) == n:
                assert int(k) in (0, n) or (int(k) >= 3 and n - int(k) >= 3), (k, total_n)

        # No external assets.
        assert all(url.startswith(base) for url in requests), requests
        assert errors == []

        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(f"{base}/sessions/{session_id}/debrief#slide-4")
        page.screenshot(path=str(SHOTS / f"debrief-{language}-375.png"))
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=str(SHOTS / f"debrief-{language}-1280.png"))
    finally:
        context.close()


def test_signed_out_is_sent_to_sign_in(live_server: Any, browser: Any) -> None:
    session_id, _ = _cohort(live_server, "debrief-out@example.org", "en", 4)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sessions/{session_id}/debrief")
        assert "/login" in page.url
        assert page.locator(".deck").count() == 0
    finally:
        context.close()
