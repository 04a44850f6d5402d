"""The facilitator pages at phone width (375 px) and laptop width (1280 px), in English and
Italian: nothing scrolls sideways, every action button lies inside the viewport, and
axe-core finds no serious or critical violation."""

from __future__ import annotations

import os
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from app.cohorts.roster import parse_roster_csv
from app.cohorts.service import create_cohort
from app.core.timezones import end_of_local_day
from app.demo import generate_map
from app.facilitators.service import create_facilitator
from app.participation.service import save_map
from app.sessions.service import enrol_participants, open_session

REPO_ROOT = Path(__file__).resolve().parents[2]
ROSTER = REPO_ROOT / "cohorts" / "example" / "roster.csv"
SHOTS = Path(os.environ.get("WELLSPRING_SCREENSHOTS", "/tmp/wellspring-screenshots"))
BLOCKING = ("serious", "critical")
WIDTHS = (375, 1280)

pytestmark = pytest.mark.browser

# What a facilitator must be able to reach on each page: every one of these, in every row.
ACTIONS = {
    "session": ["form[action$='/reissue'] button", "form[action$='/revoke'] button",
                "button[data-copy^='link-']", "#copy-all-links"],
    "session-closed": ["form[action$='/reissue'] button"],
    "cohort": ["form[action$='/sessions'] button[type=submit]", "a[href$='/edit']",
               "form[action*='/participants/'][action$='/delete'] button",
               "a.button[href^='/sessions/']"],
    "participant-edit": ["form button[type=submit]"],
}


def axe_violations(page: Any) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): " + "; ".join(
            str(node["target"][0]) for node in v["nodes"][:5] if node["target"])
        for v in results.response["violations"] if v.get("impact") in BLOCKING
    ]


def overflow(page: Any) -> dict[str, Any]:
    """The page's width and the visible controls that stick out of the viewport."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const outside = [];
        for (const el of document.querySelectorAll(
                'main button, main a.button, main input, main select, main textarea, main a')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) continue;  // hidden
            if (box.left < -1 || box.right > width + 1) {
                outside.push((el.textContent || el.name || el.id || el.tagName).trim().slice(0, 40)
                             + ' [' + Math.round(box.left) + ',' + Math.round(box.right) + ']');
            }
        }
        return {scroll: document.documentElement.scrollWidth, width: width, outside: outside};
    }""")


@pytest.fixture
def month(live_server: Any) -> dict[str, Any]:
    """A Rome cohort of the example roster (plus one very long name), session 1 closed,
    session 2 open with two maps submitted."""
    with live_server.database.session() as db:
        me = create_facilitator(db, email="giulia@example.org", password="a-long-password",
                                name="Giulia Ferrante")
        cohort = create_cohort(db, name="Autunno: leadership per quadri e dirigenti",
                               program_id="leadership-8-month", language="it",
                               facilitators=[me], time_zone="Europe/Rome")
        rows = parse_roster_csv(ROSTER.read_text(encoding="utf-8")
                                + "Maria Antonietta Bartolomei-Castiglioni della Gherardesca,"
                                "maria.antonietta.bartolomei-castiglioni@fondazione-esempio.it,"
                                "Fondazione per lo Sviluppo Organizzativo,Risorse umane,"
                                "Non profit\n")
        settings = live_server.settings
        participants = enrol_participants(db, settings, cohort, rows)
        today = datetime.now(UTC).date()
        first = open_session(db, settings, cohort, opens_on=today - timedelta(days=35),
                             deadline=end_of_local_day(today - timedelta(days=28), "Europe/Rome"))
        second = open_session(db, settings, cohort, opens_on=today,
                              deadline=end_of_local_day(today + timedelta(days=7), "Europe/Rome"))
        program = cohort.program_definition()
        for index, participant in enumerate(participants[:2]):
            data = generate_map(random.Random(index), 9, as_of=today)
            save_map(db, cohort_session=second, participant=participant, program=program,
                     data=data, submit=True)
        return {"cohort": cohort.id, "session": second.id, "closed": first.id,
                "participant": participants[-1].id}


def sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/login")
    page.locator("#email").fill("giulia@example.org")
    page.locator("#password").fill("a-long-password")
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(f"{base}/cohorts")


@pytest.mark.parametrize("lang", ["en", "it"])
def test_facilitator_pages_fit_a_phone_and_a_laptop(
    live_server: Any, browser: Any, month: dict[str, Any], lang: str, tmp_path: Path,
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # A re-upload: one person moved company, one joins late.
    upload = tmp_path / "roster.csv"
    upload.write_text(
        ROSTER.read_text(encoding="utf-8").replace("Banca Ligure", "Banca Adriatica del Nord")
        + "Giovanni Battista Alberti-Roncalli,giovanni.battista.alberti-roncalli@example.org,"
        "Cooperativa Agricola Valpadana,Amministrazione,Agricoltura\n", encoding="utf-8")
    base = live_server.url
    pages = {
        "cohorts": "/cohorts",
        "cohort-new": "/cohorts/new",
        "cohort": f"/cohorts/{month['cohort']}",
        "session": f"/sessions/{month['session']}",
        "session-closed": f"/sessions/{month['closed']}",
        "participant-edit": f"/cohorts/{month['cohort']}/participants/{month['participant']}/edit",
    }
    problems: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        try:
            page.goto(f"{base}/login?lang={lang}")
            measured = overflow(page)
            problems += [f"login {width}: {p}" for p in _check(page, measured, width, "login")]
            problems += [f"login {width} axe: {v}" for v in axe_violations(page)]
            page.screenshot(path=str(SHOTS / f"fac-login-{lang}-{width}.png"), full_page=True)
            sign_in(page, base)
            for name, path in pages.items():
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                measured = overflow(page)
                problems += [f"{name} {width}: {p}" for p in _check(page, measured, width, name)]
                for selector in ACTIONS.get(name, []):
                    actions = page.locator(selector)
                    if actions.count() == 0:
                        problems.append(f"{name} {width}: no {selector}")
                    for index in range(actions.count()):
                        box = actions.nth(index).bounding_box()
                        if box is None or box["x"] < 0 or box["x"] + box["width"] > width:
                            problems.append(f"{name} {width}: {selector} #{index} not inside "
                                            "the viewport")
                page.screenshot(path=str(SHOTS / f"fac-{name}-{lang}-{width}.png"),
                                full_page=True)
                problems += [f"{name} {width} axe: {v}" for v in axe_violations(page)]
            # The roster preview of the re-upload.
            page.goto(f"{base}/cohorts/{month['cohort']}")
            page.locator("details:has(#roster) > summary").click()
            page.locator("#roster").set_input_files(str(upload))
            page.locator("form[action$='/participants/import'] button[type=submit]").click()
            page.wait_for_load_state("networkidle")
            assert page.locator("#new-people tbody tr").count() == 1
            assert page.locator("#changed-people tbody tr").count() == 2
            measured = overflow(page)
            problems += [f"roster-preview {width}: {p}"
                         for p in _check(page, measured, width, "roster-preview")]
            problems += [f"roster-preview {width} axe: {v}" for v in axe_violations(page)]
            page.screenshot(path=str(SHOTS / f"fac-roster-preview-{lang}-{width}.png"),
                            full_page=True)
            # The live progress says when it refreshed: 24-hour, in the cohort's zone.
            page.clock.install()
            page.goto(f"{base}/sessions/{month['session']}")
            page.clock.run_for(11_000)
            updated = page.locator("[data-updated]")
            expect(updated).to_have_text(re.compile(r"\d\d:\d\d:\d\d (CES?T|GMT\+[12])$"))
            assert not re.search(r"AM|PM", updated.inner_text())
        finally:
            context.close()
    assert problems == [], "\n".join(problems)


def _check(page: Any, measured: dict[str, Any], width: int, name: str) -> list[str]:
    found = []
    if measured["scroll"] > width:
        found.append(f"scrolls sideways: {measured['scroll']} px wide")
    found += [f"outside the viewport: {item}" for item in measured["outside"]]
    return found
