from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.db import Database
from app.main import create_app
from tests.conftest import TEST_SECRET


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"


def test_readyz_is_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}"  # the directory does not exist
    settings = Settings(environment="test", database_url=url, secret_key=TEST_SECRET)
    with TestClient(create_app(settings, Database(url))) as client:
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_security_headers_on_html(client: TestClient) -> None:
    response = client.get("/login")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


def test_oversized_body_is_refused_with_413(client: TestClient) -> None:
    response = client.put(
        "/api/v1/p/whatever/map",
        content=b"x" * 2_000_000,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert "request body" in response.json()["detail"]
