"""Autosave in Chromium: nothing typed is dropped, and "saved" means saved."""

from __future__ import annotations

from typing import Any

import pytest

from tests.participation.participation_support import seed
from tests.participation.test_participation_browser import stored

pytestmark = pytest.mark.browser


def test_a_card_without_a_nickname_survives_autosave_and_reload(
    page: Any, live_server: Any
) -> None:
    page.goto(seed(live_server))
    card = page.locator("#c0")
    card.locator("label.chip", has_text="For the company").first.click()
    card.locator("label.scale-step", has_text="4").click()
    card.locator("#c0-function").fill("Procurement")
    page.locator("#save-status", has_text="All changes saved").wait_for(timeout=10_000)
    submission = stored(live_server)
    assert submission is not None
    assert submission.map["contacts"][0]["function"] == "Procurement"

    page.reload()
    assert page.locator("#c0-label").input_value() == ""
    assert page.locator("#c0-function").input_value() == "Procurement"
    assert page.locator('#c0 input[name="c0.purpose"][value="company"]').is_checked()
    assert page.locator('#c0 input[name="c0.closeness"][value="4"]').is_checked()


def test_a_refused_save_is_retried_and_never_reported_as_saved(
    page: Any, live_server: Any
) -> None:
    url = seed(live_server)
    refusals = {"429": 0, "offline": 0}

    def flaky(route: Any) -> None:
        # The first save is throttled, the second finds no network; then the real server.
        if route.request.method != "PUT":
            route.continue_()
        elif refusals["429"] == 0:
            refusals["429"] += 1
            route.fulfill(status=429, headers={"Retry-After": "1"},
                          json={"detail": "Too many requests"})
        elif refusals["offline"] == 0:
            refusals["offline"] += 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/api/v1/p/*/map", flaky)
    page.goto(url)
    page.locator("#c0-label").fill("M.R.")
    status = page.locator("#save-status")
    status.get_by_text("trying again", exact=False).wait_for(timeout=10_000)
    assert "All changes saved" not in status.inner_text()
    assert stored(live_server) is None
    status.get_by_text("All changes saved").wait_for(timeout=15_000)
    assert refusals == {"429": 1, "offline": 1}
    submission = stored(live_server)
    assert submission is not None and submission.map["contacts"][0]["label"] == "M.R."
