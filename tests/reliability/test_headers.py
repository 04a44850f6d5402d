"""Security headers on every HTML page, found by walking the app's routes.

Each GET route is requested with its path parameters filled from seeded data
(a cohort, an open session, participants who submitted or not, a signed-in
facilitator), and every HTML answer must carry the headers. A new page added
later is covered without touching this file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.participation.service import save_map
from app.sessions.service import invitation_token
from tests.reliability.harness import participant_map

# Swagger UI and ReDoc are FastAPI's own pages: checked for headers, not for inline scripts.
THIRD_PARTY_PAGES = {"/docs", "/redoc", "/docs/oauth2-redirect"}
# Routes left out of the schema that are not pages: the schema itself, and redirects.
NOT_PAGES = {"/openapi.json", "/"}
BINARY_DOWNLOADS = (".pdf", ".zip")
PRIVATE_PAGE_PREFIXES = ("/p/", "/cohorts", "/sessions", "/login")
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
# Where a page loads scripts, styles and images from: the CSP allows only 'self'.
RESOURCE = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)""", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


@dataclass
class World:
    values: dict[str, list[str]]
    cookie: str


@pytest.fixture
def world(
    db: Session, settings: Settings, make_facilitator: Callable[..., Any],
    make_cohort: Callable[..., Any], make_session: Callable[..., Any],
) -> World:
    from app.facilitators.service import start_session

    facilitator = make_facilitator()
    cohort = make_cohort(facilitator, participants=3)
    cohort_session = make_session(cohort)
    submitted, drafting, untouched = cohort_session.invitations
    program = cohort.program_definition()
    save_map(db, cohort_session=cohort_session, participant=submitted.participant,
             program=program, data=participant_map(1, 8), submit=True)
    save_map(db, cohort_session=cohort_session, participant=drafting.participant,
             program=program, data={"contacts": [{"id": "a", "label": "Draft"}]})
    token, _ = start_session(db, facilitator, max_age=timedelta(hours=1))
    db.flush()
    return World(
        values={
            "token": [invitation_token(settings, inv) for inv in cohort_session.invitations]
            + ["unknown-token-aaaaaaaaaaaaaaaaaaaaaaaa"],
            "cohort_id": [str(cohort.id), "999999"],
            "session_id": [str(cohort_session.id), "999999"],
            "participant_id": [str(submitted.participant_id)],
            "invitation_id": [str(untouched.id)],
            "facilitator_id": [str(facilitator.id)],
        },
        cookie=token,
    )


def get_routes(app: Any) -> list[tuple[str, bool]]:
    """(path, is_page) for every GET route; pages are the routes left out of the API schema."""
    found = []
    for context in iter_route_contexts(app.routes):
        methods = context.methods or set()
        if "GET" not in methods or context.path is None:
            continue
        route = context.original_route
        is_page = not getattr(route, "include_in_schema", True) or (
            isinstance(route, APIRoute)
            and getattr(route.response_class, "__name__", "") == "HTMLResponse"
        )
        found.append((context.path, is_page))
    return found


def fill(path: str, values: dict[str, list[str]]) -> list[str]:
    paths = [path]
    for name in re.findall(r"{(\w+)(?::\w+)?}", path):
        assert name in values, f"no seeded value for {{{name}}} in {path}: add it to `world`"
        paths = [
            re.sub(r"{" + name + r"(?::\w+)?}", value, candidate)
            for candidate in paths for value in values[name]
        ]
    return paths


def check_html(path: str, response: Any, *, hsts: bool) -> list[str]:
    problems = []
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    directives = {
        part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()
    }
    script_src = directives.get("script-src", directives.get("default-src", []))
    if not csp:
        problems.append("no Content-Security-Policy")
    if "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src or not script_src:
        problems.append(f"CSP allows inline script: script-src {' '.join(script_src)}")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append("CSP lacks frame-ancestors 'none'")
    if headers.get("x-content-type-options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not headers.get("referrer-policy"):
        problems.append("no Referrer-Policy")
    if path.startswith("/p/") and headers.get("referrer-policy") != "no-referrer":
        problems.append("participant page without Referrer-Policy: no-referrer")
    if path.startswith(PRIVATE_PAGE_PREFIXES) and "no-store" not in headers.get(
        "cache-control", ""
    ):
        problems.append("private page without Cache-Control: no-store")
    if hsts and "max-age=" not in headers.get("strict-transport-security", ""):
        problems.append("no HSTS although BASE_URL is https")
    if not hsts and "strict-transport-security" in headers:
        problems.append("HSTS sent over plain http")
    foreign = [url for url in RESOURCE.findall(response.text) if re.match(r"(?i)([a-z]+:)?//", url)]
    if foreign:
        problems.append(f"loads {foreign[0]}, which the CSP (default-src 'self') blocks")
    if path not in THIRD_PARTY_PAGES:
        body = response.text
        for pattern, what in (
            (INLINE_SCRIPT, "an inline <script>"),
            (INLINE_HANDLER, "an inline event handler (on...=)"),
            (JAVASCRIPT_URL, "a javascript: URL"),
        ):
            match = pattern.search(body)
            if match:
                problems.append(f"{what}, which the CSP blocks: {match.group(0)[:80]!r}")
    return [f"GET {path} ({response.status_code}): {problem}" for problem in problems]


@pytest.mark.parametrize("base_url", ["http://testserver", "https://wellspring.example"])
def test_every_html_page_has_the_security_headers(
    world: World, make_client: Callable[..., TestClient], base_url: str
) -> None:
    https = base_url.startswith("https")
    client = make_client(base_url=base_url)
    anonymous = make_client(base_url=base_url)
    client.cookies.set("wellspring_session", world.cookie)
    problems: list[str] = []
    pages_seen: dict[str, int] = {}
    for route_path, is_page in get_routes(client.app):
        if route_path.endswith(BINARY_DOWNLOADS):
            continue  # PDFs and ZIPs: slow to render and never HTML
        for path in fill(route_path, world.values):
            for who in (client, anonymous):
                response = who.get(path, follow_redirects=False)
                if response.status_code >= 500:
                    problems.append(f"GET {path}: {response.status_code}")
                if response.headers.get("x-content-type-options") != "nosniff":
                    problems.append(f"GET {path}: no nosniff on {response.status_code}")
                if response.headers.get("content-type", "").startswith("text/html"):
                    problems.extend(check_html(path, response, hsts=https))
                    pages_seen[route_path] = pages_seen.get(route_path, 0) + 1
                elif https and "strict-transport-security" not in response.headers:
                    problems.append(f"GET {path}: no HSTS on a non-HTML answer")
    assert problems == []
    # Every page route answered with HTML at least once: the walk really covered it.
    missing = [path for path, is_page in get_routes(client.app)
               if is_page and path not in pages_seen and path not in NOT_PAGES]
    assert missing == []
    assert len(pages_seen) >= 8


def test_error_pages_have_the_headers(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    for path in ("/p/not-a-real-link-aaaaaaaaaaaaaaaa", "/nowhere", "/cohorts/abc"):
        response = client.get(path, follow_redirects=False, headers={"Accept": "text/html"})
        assert response.status_code < 500
        assert response.headers["x-content-type-options"] == "nosniff"
        if response.headers.get("content-type", "").startswith("text/html"):
            assert check_html(path, response, hsts=False) == []


def test_static_assets_are_not_sniffed(make_client: Callable[..., TestClient]) -> None:
    from app.core.resources import static_dir

    client = make_client()
    scripts = sorted(static_dir().rglob("*.js"))
    for script in scripts:
        path = "/static/" + script.relative_to(static_dir()).as_posix()
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "javascript" in response.headers["content-type"]
