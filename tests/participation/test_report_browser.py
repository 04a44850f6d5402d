"""The participant's report page with a typical map, on a laptop and a phone, en and it."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from app.demo_maps import profile_map
from tests.participation.participation_support import seed_links

pytestmark = pytest.mark.browser

# The text of each cell of the numbers table, where it spills out of its own cell
# (into the next column, where "24%" and "83%" would read as "24%83%").
CELLS_SPILLING = """() => [...document.querySelectorAll('.numbers th, .numbers td')]
.flatMap(cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const text = range.getBoundingClientRect(), box = cell.getBoundingClientRect();
  return text.left < box.left - 0.5 || text.right > box.right + 0.5 ? [cell.innerText] : [];
})"""


@pytest.mark.parametrize("width", [1280, 375])
def test_report_page_explains_the_numbers_without_sideways_scroll(
    browser: Any, live_server: Any, width: int
) -> None:
    # Three maps in, so the table has its "Group" column of medians too.
    links = seed_links(live_server, names=("Ada", "Bo", "Cy"))
    url = links[0]
    for seed_number, (link, profile) in enumerate(
            zip(links, ("connector", "insider", "builder"), strict=True)):
        network_map = profile_map(random.Random(9 + seed_number), profile,
                                  as_of=datetime.now(UTC).date(), size=25)
        api = link.replace("/p/", "/api/v1/p/")
        assert httpx.post(api + "/submit", json=network_map, timeout=60).status_code == 200
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(url + "/report")
        reading = page.locator(".reading")
        assert reading.locator("h3").inner_text() == "How to read this page"
        assert reading.locator("tbody tr").count() >= 8
        assert reading.locator("thead th").all_inner_texts()[2] == "Group"
        assert page.locator(".strengths li").count() >= 2
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(CELLS_SPILLING) == [], "numbers run into the next column"
        page.screenshot(path=f"/tmp/participant-report-numbers-{width}.png", full_page=True)

        page.goto(url + "/report?lang=it")
        assert reading.locator("h3").inner_text() == "Come leggere questa pagina"
        assert "Che cosa funziona già nella tua rete" in page.locator(".strengths").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(CELLS_SPILLING) == [], "numbers run into the next column"
    finally:
        context.close()
