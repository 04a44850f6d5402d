"""The locked URL fetcher: packaged assets and data: URLs only."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from weasyprint.urls import URLFetcher

from app.reports.rendering import fetcher as fetcher_module
from app.reports.rendering.fetcher import ASSETS_DIR, LockedURLFetcher, RefusedURLError, asset_url


def test_is_a_weasyprint_url_fetcher() -> None:
    assert isinstance(LockedURLFetcher(), URLFetcher)


def test_serves_packaged_assets() -> None:
    fetcher = LockedURLFetcher()
    response = fetcher.fetch(asset_url("fonts/DejaVuSans.ttf"))
    assert response.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType file
    response = fetcher.fetch(asset_url("report.css"))
    assert response.content_type == "text/css"
    assert fetcher.refused == []


def test_serves_data_urls() -> None:
    fetcher = LockedURLFetcher()
    payload = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    assert fetcher.fetch(f"data:image/svg+xml;base64,{payload}").read().startswith(b"<svg")
    assert fetcher.fetch("data:text/plain,hello%20there").read() == b"hello there"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (ASSETS_DIR / ".." / ".." / ".." / "pyproject.toml").as_uri(),
        ASSETS_DIR.as_uri() + "/../fetcher.py",
        ASSETS_DIR.as_uri() + "/%2e%2e/fetcher.py",
        "file://evil.example/" + str(ASSETS_DIR / "report.css"),
        "http://127.0.0.1:9/x.css",
        "https://example.org/font.ttf",
        "ftp://example.org/file",
        "gopher://example.org/",
        "data:text/plain",  # malformed: no comma
        ASSETS_DIR.as_uri() + "/missing.css",
    ],
)
def test_refuses_everything_else(url: str) -> None:
    fetcher = LockedURLFetcher()
    with pytest.raises(RefusedURLError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_refuses_symlinks_out_of_the_assets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    (assets / "link.css").symlink_to(secret)
    (assets / "ok.css").write_text("p {}")
    monkeypatch.setattr(fetcher_module, "ASSETS_DIR", assets.resolve())
    fetcher = LockedURLFetcher()
    assert fetcher.fetch((assets / "ok.css").as_uri()).read() == b"p {}"
    with pytest.raises(RefusedURLError):
        fetcher.fetch((assets / "link.css").as_uri())


def test_open_goes_through_fetch_too() -> None:
    # urllib-style callers use .open(); it must not bypass the lock.
    with pytest.raises(RefusedURLError):
        LockedURLFetcher().open("http://127.0.0.1:9/")
