"""Participant text is untrusted: nothing in it may be fetched, executed or interpreted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from app.reports.rendering import render
from app.reports.rendering.fetcher import LockedURLFetcher
from app.reports.rendering.render import build_html, render_report
from tests.reports.report_support import (
    AS_OF,
    group_inputs,
    individual_inputs,
    pdf_text,
    sample_map,
    squash,
)


class Recorder:
    def __init__(self) -> None:
        self.requests: list[str] = []


@pytest.fixture
def loopback() -> Iterator[tuple[int, Recorder]]:
    """A loopback HTTP server that records every request it gets."""
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorder.requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { background: red }")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], recorder
    finally:
        server.shutdown()
        server.server_close()


def hostile_strings(port: int) -> dict[str, str]:
    base = f"http://127.0.0.1:{port}"
    return {
        "img": f"<img src={base}/img>",  # 34 characters: fits a 40-character label
        "css": f"a{{background:url({base}/u)}}",
        "import": f"@import '{base}/i';",
        "file": "file:///etc/passwd",
        "jinja": "{{ 7*7 }}",
        "html": "<b>bold</b><script>x()</script>",
        "commitment": (
            f'<link rel="stylesheet" href="{base}/link.css">'
            f'<style>@import url("{base}/style.css");</style>'
            f'<iframe src="{base}/frame"></iframe><object data="file:///etc/passwd"></object>'
            "{% raw %}{{ config }}{% endraw %} {{ 7*7 }}"
        ),
    }


def hostile_map(port: int) -> dict[str, Any]:
    strings = hostile_strings(port)
    network = sample_map(11, 8)
    labels = [strings[k] for k in ("img", "css", "import", "file", "jinja", "html")]
    for contact, label in zip(network["contacts"], labels, strict=False):
        contact["label"] = label[:40]
        contact["last_contact"] = "2023-01"  # dormant: listed by name in the reconnect list
        contact["qualities"] = ["energizes"]  # (someone who drains is left out of that list)
        contact["closeness"] = 5
        contact["function"] = f"<img src=http://127.0.0.1:{port}/function>"
    for contact in network["contacts"][len(labels):]:
        contact["last_contact"] = AS_OF.strftime("%Y-%m")  # the reconnect list: only the six
    network["commitments"] = [
        {"text": strings["commitment"], "contact": network["contacts"][0]["id"]},
        {"text": strings["jinja"] + " " + strings["file"], "contact": None},
    ]
    return network


def test_hostile_individual_report_fetches_nothing_and_shows_the_text(
    loopback: tuple[int, Recorder],
) -> None:
    port, recorder = loopback
    strings = hostile_strings(port)
    inputs = individual_inputs(
        hostile_map(port), name=strings["img"] + strings["jinja"], cohort=strings["import"],
        commitment_review=[{"text": strings["css"], "contact": None, "kept": True}],
    )
    fetcher = LockedURLFetcher()
    pdf = render_report("individual", inputs, fetcher=fetcher).pdf

    assert recorder.requests == []
    # Nothing in the document asked for anything: the only loads were our own assets.
    assert fetcher.refused == []
    text = pdf_text(pdf)
    flat = squash(text)
    for key in ("img", "css", "import", "file", "jinja", "html"):
        assert squash(strings[key][:40]) in flat, key
    assert "{{ 7*7 }}" in text
    assert squash(strings["commitment"]) in flat


def test_hostile_group_report_and_screen_html(loopback: tuple[int, Recorder]) -> None:
    port, recorder = loopback
    maps = {str(i): hostile_map(port) for i in range(3)}
    pdf = render_report("group", group_inputs(maps, cohort=hostile_strings(port)["img"])).pdf
    assert recorder.requests == []
    assert squash(hostile_strings(port)["img"]) in squash(pdf_text(pdf))

    html = build_html("individual", individual_inputs(hostile_map(port)), screen=True)
    assert f"<img src=http://127.0.0.1:{port}" not in html
    assert "&lt;img src=http://127.0.0.1" in html
    assert "<script>x()" not in html
    assert "{{ 7*7 }}" in html  # shown, not evaluated
    assert ">49<" not in html


def test_the_worker_uses_the_locked_fetcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even markup that bypassed escaping could only reach the locked fetcher."""
    seen: list[str] = []

    class Spy(LockedURLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            seen.append(url)
            return super().fetch(url, headers)

    html = (
        '<html><body><img src="http://127.0.0.1:9/a.png">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<p style="background: url(ftp://127.0.0.1/x)">x</p></body></html>'
    )
    spy = Spy()
    render.html_to_pdf(html, spy)
    assert "http://127.0.0.1:9/a.png" in seen
    assert set(spy.refused) >= {"http://127.0.0.1:9/a.png", "file:///etc/passwd"}
