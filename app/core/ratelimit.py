"""Rate limits (slowapi): sign-in and link-token lookups.

Limits are read from settings when the app is created. Storage is in memory per
process by default; set RATE_LIMIT_STORAGE_URL=redis://... to share the counters
between instances.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from app.core.config import Settings
from app.core.logs import redact

logger = logging.getLogger("wellspring.ratelimit")

_limits = {"login": "10/minute", "token": "120/minute"}


def login_limit() -> str:
    return _limits["login"]


def token_limit() -> str:
    return _limits["token"]


# key_style="endpoint": count per client and endpoint function. slowapi's default
# ("url") counts per request path, and the path holds the link token: every guessed
# token got a fresh counter, so guessing links was never throttled.
limiter = Limiter(key_func=get_remote_address, headers_enabled=False, key_style="endpoint")


def configure_rate_limits(app: FastAPI, settings: Settings) -> None:
    _limits["login"] = settings.login_rate_limit
    _limits["token"] = settings.token_rate_limit
    _use_storage(settings.rate_limit_storage_url)
    app.state.limiter = limiter
    app.add_exception_handler(RateLimitExceeded, _too_many_requests)  # type: ignore[arg-type]


def _use_storage(url: str) -> None:
    """Point the limiter at `url` (memory://, redis://...).

    slowapi builds its storage once, in Limiter(); setting `_storage_uri` later
    changes nothing, so RATE_LIMIT_STORAGE_URL was silently ignored and every
    instance counted on its own. The storage and the strategy that holds it are
    rebuilt instead. A URL whose client library is missing (e.g. redis:// without
    the redis package) fails here, at start-up, rather than at the first request.
    """
    if getattr(limiter, "_storage_uri", None) == url or (
        url == "memory://" and getattr(limiter, "_storage_uri", None) is None
    ):
        return
    from limits.storage import storage_from_string

    storage = storage_from_string(url)
    limiter._storage_uri = url
    limiter._storage = storage
    limiter._limiter = type(limiter._limiter)(storage)


def _too_many_requests(request: Request, exc: RateLimitExceeded) -> Response:
    # The path may hold a link token: log it redacted.
    logger.warning(
        "rate limit hit: %s %s from %s",
        request.method,
        redact(request.url.path),
        get_remote_address(request),
    )
    return JSONResponse(
        {"detail": "too many requests: please wait a minute and try again"},
        status_code=429,
        headers={"Retry-After": "60"},
    )
