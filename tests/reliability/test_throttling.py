"""Rate limits stop guessing, never a class (DESIGN.md, "Limits"; app/core/ratelimit.py).

Failed link lookups count per address; a valid link counts per link; failed sign-ins
count per address and per account. Counters are shared by an instance's workers, and
X-Forwarded-For is believed only from the configured proxies.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.logs import RedactTokensFilter, redact
from tests.reliability.harness import ServerProcess, seed


def server_lines(caplog: pytest.LogCaptureFixture) -> str:
    """What the app logged; the test's own HTTP client (httpx) logs full URLs, by design."""
    return "\n".join(
        record.getMessage() for record in caplog.records if not record.name.startswith("httpx")
    )


def guesses(count: int) -> list[str]:
    # Shaped like real tokens (43 url-safe characters), so redaction cannot rely on a marker.
    return [f"G{i:03d}uessedTokenAbcdefghijklmnopqrstuvwxyz012" for i in range(count)]


@pytest.fixture
def class_links(
    db: Session, settings: Settings, make_cohort: Callable[..., Any],
    make_session: Callable[..., Any],
) -> list[str]:
    """The link tokens of a class of 30 in an open session."""
    from app.sessions.service import invitation_token

    cohort = make_cohort(participants=30)
    cohort_session = make_session(cohort)
    db.flush()
    return [invitation_token(settings, invitation) for invitation in cohort_session.invitations]


def test_guessing_links_is_throttled_and_logged_without_tokens(
    make_client: Callable[..., TestClient], class_links: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = make_client(failed_lookup_rate_limit="5/minute")
    tried = guesses(8)
    caplog.set_level(logging.DEBUG)
    statuses = [client.get(f"/api/v1/p/{token}").status_code for token in tried]
    assert statuses == [404] * 5 + [429] * 3

    refused = client.get(f"/api/v1/p/{tried[0]}")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "too many requests" in refused.json()["detail"]
    # The pages count against the same address, and so does the next try with a real
    # link: a guesser cannot keep probing by switching routes.
    assert client.get(f"/p/{tried[1]}").status_code == 429
    assert client.get(f"/api/v1/p/{class_links[0]}").status_code == 429

    server_log = server_lines(caplog)
    assert "rate limit hit (link lookups)" in server_log
    assert "[redacted]" in server_log
    assert [token for token in tried if token in server_log] == []


def test_a_flood_on_one_link_is_cut_off_but_not_its_classmates(
    make_client: Callable[..., TestClient], class_links: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = make_client(token_rate_limit="3/minute")
    caplog.set_level(logging.DEBUG)
    first, second = class_links[:2]
    statuses = [client.get(f"/api/v1/p/{first}").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    # Same address, another link: counted on its own.
    assert [client.get(f"/api/v1/p/{second}").status_code for _ in range(3)] == [200] * 3
    assert first not in server_lines(caplog)


def test_a_class_of_thirty_behind_one_address_is_never_throttled(
    make_client: Callable[..., TestClient], class_links: list[str],
) -> None:
    """30 participants on one public address, each autosaving every 2 s for a minute.

    Every request comes from the same TestClient address; under the old per-address
    limit (120 a minute) three quarters of these were refused.
    """
    client = make_client()  # the default limits
    statuses: list[int] = []
    for round_number in range(30):  # one minute at one save every 2 s
        for index, token in enumerate(class_links):
            if round_number == 0:
                statuses.append(client.get(f"/api/v1/p/{token}").status_code)
            body = {"contacts": [{"id": "a", "label": f"R{round_number}-{index}"}],
                    "ties": [], "commitments": []}
            statuses.append(client.put(f"/api/v1/p/{token}/map", json=body).status_code)
    assert len(statuses) == 30 + 900
    assert statuses.count(429) == 0
    assert set(statuses) == {200}


def test_sign_in_failures_count_per_address_and_per_account(
    make_client: Callable[..., TestClient], make_facilitator: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    victim, other = make_facilitator(), make_facilitator()
    client = make_client(login_rate_limit="3/minute")
    caplog.set_level(logging.DEBUG)
    form = {"username": victim.email, "password": "wrong password, again"}
    statuses = [client.post("/api/v1/auth/token", data=form).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    # Once throttled, even the right password waits: that is what stops guessing.
    form["password"] = "correct horse battery"
    assert client.post("/api/v1/auth/token", data=form).status_code == 429
    assert "wrong password" not in server_lines(caplog)

    # The account is locked for a while from any address ...
    elsewhere = make_client(login_rate_limit="3/minute")
    elsewhere_app = elsewhere.app
    other_address = TestClient(elsewhere_app, client=("203.0.113.9", 5000))
    for _ in range(3):
        other_address.post("/api/v1/auth/token", data={"username": victim.email,
                                                       "password": "guess"})
    assert other_address.post(
        "/api/v1/auth/token", data={"username": victim.email, "password": "correct horse battery"}
    ).status_code == 429
    # ... while another account, from yet another address, signs in normally.
    third = TestClient(elsewhere_app, client=("198.51.100.7", 5000))
    assert third.post("/api/v1/auth/token", data={
        "username": other.email, "password": "correct horse battery"}).status_code == 200


def test_sign_in_page_is_throttled(
    make_client: Callable[..., TestClient], make_facilitator: Callable[..., Any]
) -> None:
    facilitator = make_facilitator()
    client = make_client(login_rate_limit="2/minute")
    page = client.get("/login")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    form = {"email": facilitator.email, "password": "nope nope nope", "csrf_token": csrf[1]}
    statuses = [
        client.post("/login", data=form, follow_redirects=False).status_code for _ in range(4)
    ]
    assert statuses == [400, 400, 429, 429]


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


def test_rate_limit_storage_url_is_honoured(make_client: Callable[..., TestClient]) -> None:
    """RATE_LIMIT_STORAGE_URL must reach the limits, or instances count separately."""
    # Two instances on one Redis count together (a unique address keeps runs apart).
    one = make_client(rate_limit_storage_url="redis://127.0.0.1:6379",
                      failed_lookup_rate_limit="4/minute")
    two = make_client(rate_limit_storage_url="redis://127.0.0.1:6379",
                      failed_lookup_rate_limit="4/minute")
    assert "Redis" in type(one.app.state.rate_limits.storage).__name__
    address = (f"192.0.2.{uuid.uuid4().int % 250 + 1}", 4000)
    instances = [TestClient(one.app, client=address), TestClient(two.app, client=address)]
    statuses = [instances[i % 2].get(f"/api/v1/p/{token}").status_code
                for i, token in enumerate(guesses(6))]
    assert statuses == [404] * 4 + [429] * 2
    memory_client = make_client(rate_limit_storage_url="memory://")
    assert type(memory_client.app.state.rate_limits.storage).__name__ == "MemoryStorage"
    with pytest.raises(ValueError, match="not a rate"):
        make_client(token_rate_limit="lots")


# --- real servers: shared counters and trusted proxies -----------------------------------


@pytest.fixture
def seeded_server(make_database_url: Callable[..., str]) -> Iterator[Callable[..., ServerProcess]]:
    started: list[ServerProcess] = []

    def start(**env: str) -> ServerProcess:
        server = ServerProcess(make_database_url(), workers=2, env=env)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.mark.slow
def test_two_workers_share_the_counters(seeded_server: Callable[..., ServerProcess]) -> None:
    """40 guesses over fresh connections (which the master spreads over both workers):
    exactly 30 are answered 404 before the address is refused. Counted per process,
    up to 60 would get through."""
    server = seeded_server()
    statuses = []
    for token in guesses(40):
        with httpx.Client(base_url=server.url, timeout=10) as fresh:
            statuses.append(fresh.get(f"/api/v1/p/{token}").status_code)
    assert statuses.count(404) == 30
    assert statuses[30:] == [429] * 10


@pytest.mark.slow
def test_forwarded_for_is_believed_only_from_configured_proxies(
    seeded_server: Callable[..., ServerProcess],
) -> None:
    def statuses(server: ServerProcess, spoof: bool) -> list[int]:
        results = []
        with httpx.Client(base_url=server.url, timeout=10) as client:
            for index, token in enumerate(guesses(35)):
                headers = {"X-Forwarded-For": f"198.51.100.{index}"} if spoof else {}
                results.append(client.get(f"/api/v1/p/{token}", headers=headers).status_code)
        return results

    # We are not a trusted proxy: a forged header changes nothing, the 31st is refused.
    untrusted = seeded_server(FORWARDED_ALLOW_IPS="192.0.2.1")
    assert statuses(untrusted, spoof=True).count(429) == 5
    # Behind a trusted proxy (loopback), each forwarded client has its own counter.
    trusted = seeded_server(FORWARDED_ALLOW_IPS="127.0.0.1")
    assert statuses(trusted, spoof=True).count(429) == 0


@pytest.mark.slow
def test_a_class_on_one_address_saves_concurrently_without_a_429(
    make_database_url: Callable[..., str],
) -> None:
    """Thirty browsers behind one address, autosaving at once through two workers."""
    url = make_database_url()
    seeded = seed(url, 30)
    with ServerProcess(url, workers=2) as server:
        def autosave(token: str) -> list[int]:
            codes = []
            with httpx.Client(base_url=server.url, timeout=30) as browser:
                version = '"0"'
                for step in range(8):
                    body = {"contacts": [{"id": "a", "label": f"S{step}"}], "ties": [],
                            "commitments": []}
                    answer = browser.put(f"/api/v1/p/{token}/map", json=body,
                                         headers={"If-Match": version})
                    codes.append(answer.status_code)
                    version = answer.headers.get("etag", version)
            return codes

        with ThreadPoolExecutor(max_workers=30) as pool:
            results = [code for codes in pool.map(autosave, seeded.tokens.values())
                       for code in codes]
    assert results.count(429) == 0
    assert set(results) == {200}, {code: results.count(code) for code in set(results)}


def test_counters_recover_when_their_table_is_missing(
    make_database_url: Callable[..., str],
) -> None:
    """A worker that finds the counter table gone (once seen when two fresh workers set
    up a new SQLite counter file at the same moment) creates it again and counts on;
    it never answers a participant with a 500."""
    from sqlalchemy import text

    from app.core.ratelimit import COUNTER_TABLE, RateLimits, SQLCounterStorage, prepare_counters
    from tests.conftest import make_settings

    settings = make_settings(make_database_url(), rate_limit_storage_url="")
    prepare_counters(settings)  # what `wellspring serve` does before its workers start
    limits = RateLimits(settings)
    storage = limits.storage
    assert isinstance(storage, SQLCounterStorage)
    if settings.is_sqlite:  # a SQLite counter file is prepared before the first request
        with storage.engine.connect() as connection:
            assert connection.execute(text(f"SELECT count(*) FROM {COUNTER_TABLE}")).scalar() == 0
    assert storage.incr("k", 60) == 1
    assert storage.incr("k", 60) == 2
    with storage.engine.begin() as connection:
        connection.execute(text(f"DROP TABLE {COUNTER_TABLE}"))
    assert storage.incr("k", 60) == 1
    assert storage.get("k") == 1
    limits.on_link("some-link")  # and the app's own calls go through
    storage.engine.dispose()
