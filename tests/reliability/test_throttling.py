"""Rate limits: guessing links and passwords from one client ends in 429, logged without tokens."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.logs import RedactTokensFilter, redact


def server_lines(caplog: pytest.LogCaptureFixture) -> str:
    """What the app logged; the test's own HTTP client (httpx) logs full URLs, by design."""
    return "\n".join(
        record.getMessage() for record in caplog.records if not record.name.startswith("httpx")
    )


def guesses(count: int) -> list[str]:
    # Shaped like real tokens (43 url-safe characters), so redaction cannot rely on a marker.
    return [f"G{i:03d}uessedTokenAbcdefghijklmnopqrstuvwxyz012" for i in range(count)]


def test_guessing_links_is_throttled_and_logged_without_tokens(
    make_client: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(token_rate_limit="5/minute")
    tried = guesses(8)
    caplog.set_level(logging.DEBUG)
    statuses = [client.get(f"/api/v1/p/{token}").status_code for token in tried]
    assert statuses[:5] == [404] * 5
    assert statuses[5:] == [429] * 3

    refused = client.get(f"/api/v1/p/{tried[0]}")
    assert refused.status_code == 429
    assert refused.headers["retry-after"].isdigit()
    assert "too many requests" in refused.json()["detail"]
    # The HTML page is throttled the same way (its own counter per client).
    page_statuses = [client.get(f"/p/{token}").status_code for token in tried]
    assert page_statuses[:5] == [404] * 5 and page_statuses[5:] == [429] * 3

    server_log = server_lines(caplog)
    assert "rate limit hit" in server_log
    assert "[redacted]" in server_log
    leaked = [token for token in tried if token in server_log]
    assert leaked == []


def test_a_real_link_is_throttled_too(
    make_client: Callable[..., TestClient], participant_link: tuple[Any, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Throttling is per client, not per wrong guess: a flood on a valid link is cut off."""
    _, token = participant_link
    client = make_client(token_rate_limit="3/minute")
    caplog.set_level(logging.DEBUG)
    statuses = [client.get(f"/api/v1/p/{token}").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert token not in server_lines(caplog)


def test_sign_in_is_throttled(
    make_client: Callable[..., TestClient], make_facilitator: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    facilitator = make_facilitator()
    client = make_client(login_rate_limit="3/minute")
    caplog.set_level(logging.DEBUG)
    form = {"username": facilitator.email, "password": "wrong password, again"}
    statuses = [client.post("/api/v1/auth/token", data=form).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    # Once throttled, even the right password waits: that is what stops guessing.
    form["password"] = "correct horse battery"
    assert client.post("/api/v1/auth/token", data=form).status_code == 429
    assert "wrong password" not in server_lines(caplog)


def test_sign_in_page_is_throttled(
    make_client: Callable[..., TestClient], make_facilitator: Callable[..., Any]
) -> None:
    facilitator = make_facilitator()
    client = make_client(login_rate_limit="2/minute")
    page = client.get("/login")
    assert page.status_code == 200
    statuses = [
        client.post("/login", data={"email": facilitator.email, "password": "nope nope nope"},
                    follow_redirects=False).status_code
        for _ in range(4)
    ]
    assert 429 in statuses
    assert statuses.index(429) <= 3


def test_default_limits_leave_a_classroom_alone(
    make_client: Callable[..., TestClient], participant_link: tuple[Any, str]
) -> None:
    """A participant saving every few seconds for ten minutes stays under the default limit.

    In a classroom many participants share one public address (the venue's
    NAT): the default must be per address and generous; see docs/operations.md.
    """
    from app.core.config import Settings

    default = Settings.model_fields["token_rate_limit"].default
    count, _, period = default.partition("/")
    assert period == "minute" and int(count) >= 60


def test_uvicorn_access_log_lines_are_redacted() -> None:
    """uvicorn logs the path as an argument of the record; the filter must reach it."""
    token = guesses(1)[0]
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/p/{token}?lang=it", "1.1", 200), None,
    )
    assert RedactTokensFilter().filter(record)
    assert token not in record.getMessage()
    assert "/p/[redacted]?lang=it" in record.getMessage()
    assert token not in redact(f"PUT /api/v1/p/{token}/map")


def test_rate_limit_storage_url_is_honoured(
    make_client: Callable[..., TestClient],
) -> None:
    """RATE_LIMIT_STORAGE_URL must reach the limiter, or instances count separately."""
    from limits.errors import ConfigurationError

    from app.core.ratelimit import limiter

    try:
        import redis  # noqa: F401
    except ImportError:
        # Without the client library the setting must fail loudly, at start-up.
        with pytest.raises(ConfigurationError):
            make_client(rate_limit_storage_url="redis://127.0.0.1:1")
    else:  # pragma: no cover - only where redis is installed
        make_client(rate_limit_storage_url="redis://127.0.0.1:1")
        assert "Redis" in type(limiter._storage).__name__
    make_client(rate_limit_storage_url="memory://")
    assert type(limiter._storage).__name__ == "MemoryStorage"
