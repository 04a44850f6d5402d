"""The only way WeasyPrint may load anything while rendering a report.

Reports contain participant text, which is untrusted. Autoescaping keeps that
text from becoming markup, and this fetcher is the second wall: even if some
markup or CSS slipped through, WeasyPrint could load nothing but our packaged
assets (fonts, CSS) and inline ``data:`` URLs. No network connection is ever
opened, so redirects cannot happen either.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.core import resources

ASSETS_DIR = resources.report_assets_dir().resolve()
ASSETS_URL = ASSETS_DIR.as_uri() + "/"

# A data: URL larger than this is refused: nothing we generate comes close,
# and it keeps a hostile document from making the renderer decode megabytes.
MAX_DATA_URL_BYTES = 2_000_000

_CONTENT_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}

logger = logging.getLogger("wellspring.reports")


class RefusedURLError(ValueError):
    """Raised for every URL outside the packaged assets; WeasyPrint logs and skips it."""


class LockedURLFetcher(URLFetcher):  # type: ignore[misc]
    """Serve files under ``app/reports/assets`` and ``data:`` URLs; refuse the rest.

    ``refused`` records every URL that was turned away, so tests can assert
    on attempts as well as on the absence of traffic.
    """

    def __init__(self, **kwargs: Any) -> None:
        # Belt and braces: even the parent's machinery would only know these schemes.
        kwargs.setdefault("allowed_protocols", ("file", "data"))
        kwargs.setdefault("allow_redirects", False)
        super().__init__(**kwargs)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._serve_data(url)
        if scheme == "file":
            path = self._asset_path(url)
            if path is not None:
                self.served.append(url)
                content_type = _CONTENT_TYPES.get(path.suffix, "application/octet-stream")
                return URLFetcherResponse(
                    url, path.read_bytes(), headers={"Content-Type": content_type}
                )
        return self._refuse(url)

    def _refuse(self, url: str) -> URLFetcherResponse:
        self.refused.append(url)
        logger.warning("report renderer refused to fetch %s", url[:200])
        raise RefusedURLError(f"refused: {url[:200]}")

    def _asset_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(parts.path)).resolve()  # url2pathname unquotes
        except (OSError, ValueError):
            return None
        # resolve() has already followed symlinks and "..", so this is the real location.
        if path.is_relative_to(ASSETS_DIR) and path.is_file():
            return path
        return None

    def _serve_data(self, url: str) -> URLFetcherResponse:
        header, sep, payload = url[len("data:") :].partition(",")
        if not sep or len(payload) > MAX_DATA_URL_BYTES * 4 // 3 + 4:
            return self._refuse(url)
        params = header.split(";")
        content_type = params[0] or "text/plain"
        try:
            if "base64" in (p.strip().lower() for p in params[1:]):
                body = base64.b64decode(payload, validate=False)
            else:
                body = unquote_to_bytes(payload)
        except ValueError:
            return self._refuse(url)
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})


def asset_url(relative: str) -> str:
    """The file:// URL of a packaged asset, as the fetcher will accept it."""
    return (ASSETS_DIR / relative).as_uri()
