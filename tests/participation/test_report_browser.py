"""The participant's report page with a typical map, on a laptop and a phone, en and it."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from app.demo_maps import profile_map
from tests.participation.participation_support import seed

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_report_page_explains_the_numbers_without_sideways_scroll(
    browser: Any, live_server: Any, width: int
) -> None:
    url = seed(live_server)
    network_map = profile_map(random.Random(9), "connector", as_of=datetime.now(UTC).date(),
                              size=25)
    api = url.replace("/p/", "/api/v1/p/")
    assert httpx.post(api + "/submit", json=network_map, timeout=60).status_code == 200
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(url + "/report")
        reading = page.locator(".reading")
        assert reading.locator("h3").inner_text() == "How to read this page"
        assert reading.locator("tbody tr").count() >= 8
        assert page.locator(".strengths li").count() >= 2
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=f"/tmp/participant-report-numbers-{width}.png", full_page=True)

        page.goto(url + "/report?lang=it")
        assert reading.locator("h3").inner_text() == "Come leggere questa pagina"
        assert "Che cosa funziona già nella tua rete" in page.locator(".strengths").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
