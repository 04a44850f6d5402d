"""Sign-in, sign-out, sessions, CSRF and throttling."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.security import sha256_hex
from app.facilitators.auth import LOGIN_COOKIE, SESSION_COOKIE
from app.facilitators.models import SignInSession
from tests.cohorts.conftest import CSRF_RE, Browser
from tests.conftest import FACILITATOR_PASSWORD, make_settings


def login_form(client: TestClient) -> str:
    response = client.get("/login")
    assert response.status_code == 200
    found = CSRF_RE.search(response.text)
    assert found
    return found.group(1)


def post_login(client: TestClient, email: str, password: str, token: str, **extra: str) -> Any:
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token, **extra},
        follow_redirects=False,
    )


def set_cookie_header(response: Any, name: str) -> str:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers}")


def test_password_is_hashed_with_argon2(facilitator: Any) -> None:
    assert facilitator.password_hash.startswith("$argon2id$")
    assert FACILITATOR_PASSWORD not in facilitator.password_hash


def test_sign_in_sets_a_safe_session_cookie(
    client: TestClient, facilitator: Any, db: Session
) -> None:
    token = login_form(client)
    response = post_login(client, facilitator.email, FACILITATOR_PASSWORD, token)
    assert response.status_code == 303
    assert response.headers["location"] == "/cohorts"
    header = set_cookie_header(response, SESSION_COOKIE).lower()
    assert "httponly" in header and "samesite=lax" in header and "path=/" in header
    assert "secure" not in header  # plain http in tests
    cookie = client.cookies[SESSION_COOKIE]
    # The database holds only the SHA-256 of the cookie's token.
    stored = db.get(SignInSession, sha256_hex(cookie))
    assert stored is not None and stored.facilitator_id == facilitator.id
    assert db.get(SignInSession, cookie) is None
    assert client.get("/cohorts").status_code == 200


def test_cookie_is_secure_behind_https(make_facilitator: Any, database: Any, settings: Any) -> None:
    from app.main import create_app

    facilitator = make_facilitator()
    https = make_settings(settings.database_url, base_url="https://wellspring.example.org")
    client = TestClient(create_app(https, database), base_url="https://testserver")
    form = client.get("/login")
    assert "secure" in set_cookie_header(form, LOGIN_COOKIE).lower()
    token = CSRF_RE.search(form.text).group(1)  # type: ignore[union-attr]
    response = post_login(client, facilitator.email, FACILITATOR_PASSWORD, token)
    assert response.status_code == 303
    assert "secure" in set_cookie_header(response, SESSION_COOKIE).lower()
    assert "Strict-Transport-Security" in response.headers


def test_a_new_session_is_issued_at_sign_in(
    client: TestClient, facilitator: Any, db: Session
) -> None:
    Browser(client, facilitator).sign_in()
    first = client.cookies[SESSION_COOKIE]
    # Signing in again while a session cookie is present (say, one planted by someone else).
    fresh = TestClient(client.app)
    token = login_form(fresh)
    client.cookies.set(LOGIN_COOKIE, fresh.cookies[LOGIN_COOKIE])
    response = post_login(client, facilitator.email, FACILITATOR_PASSWORD, token)
    assert response.status_code == 303
    second = client.cookies[SESSION_COOKIE]
    assert second != first
    assert db.get(SignInSession, sha256_hex(first)) is None  # the old one is gone
    assert db.get(SignInSession, sha256_hex(second)) is not None


def test_wrong_password_and_unknown_email_look_the_same(
    client: TestClient, facilitator: Any
) -> None:
    token = login_form(client)
    wrong = post_login(client, facilitator.email, "not the password", token)
    unknown = post_login(client, "nobody@example.org", "not the password", token)
    assert wrong.status_code == unknown.status_code == 400
    assert "do not match" in wrong.text and "do not match" in unknown.text
    assert SESSION_COOKIE not in client.cookies


def test_sign_in_form_needs_its_csrf_token(client: TestClient, facilitator: Any) -> None:
    login_form(client)
    response = post_login(client, facilitator.email, FACILITATOR_PASSWORD, "forged")
    assert response.status_code == 403
    assert SESSION_COOKIE not in client.cookies
    # A token from another browser (another nonce cookie) does not work either.
    other = TestClient(client.app)
    token = login_form(other)
    client.cookies.set(LOGIN_COOKIE, "someone-elses-nonce")
    assert post_login(client, facilitator.email, FACILITATOR_PASSWORD, token).status_code == 403


def test_sign_in_is_throttled(client: TestClient, facilitator: Any) -> None:
    token = login_form(client)
    statuses = [post_login(client, facilitator.email, "wrong-password", token).status_code
                for _ in range(12)]
    assert statuses[0] == 400
    assert statuses[-1] == 429
    token_statuses = [
        client.post("/api/v1/auth/token",
                    data={"username": facilitator.email, "password": "x"}).status_code
        for _ in range(12)
    ]
    assert token_statuses[-1] == 429


def test_next_is_followed_but_never_off_site(client: TestClient, facilitator: Any) -> None:
    token = login_form(client)
    response = post_login(client, facilitator.email, FACILITATOR_PASSWORD, token,
                          next="/cohorts/new")
    assert response.headers["location"] == "/cohorts/new"
    for evil in ("//evil.example", "https://evil.example", "/\\evil.example",
                 "javascript:alert(1)"):
        client.cookies.clear()
        token = login_form(client)
        response = post_login(client, facilitator.email, FACILITATOR_PASSWORD, token, next=evil)
        assert response.headers["location"] == "/cohorts", evil


def test_pages_redirect_to_sign_in(client: TestClient) -> None:
    response = client.get("/cohorts/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fcohorts%2Fnew"
    assert client.get("/api/v1/cohorts").status_code == 401


def test_sign_out_ends_the_session(browser_client: Browser, db: Session) -> None:
    client = browser_client.client
    cookie = client.cookies[SESSION_COOKIE]
    assert client.post("/logout", follow_redirects=False).status_code == 403  # no CSRF token
    response = browser_client.post("/logout")
    assert response.status_code == 303
    assert db.get(SignInSession, sha256_hex(cookie)) is None
    client.cookies.set(SESSION_COOKIE, cookie)  # a stolen copy is useless now
    assert client.get("/cohorts", follow_redirects=False).status_code == 303


def test_expired_sessions_do_not_count(browser_client: Browser, db: Session) -> None:
    cookie = browser_client.client.cookies[SESSION_COOKIE]
    stored = db.get(SignInSession, sha256_hex(cookie))
    assert stored is not None
    stored.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.flush()
    response = browser_client.get("/cohorts")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_every_form_carries_a_csrf_token(browser_client: Browser, make_cohort: Any,
                                         make_session: Any) -> None:
    cohort = make_cohort(browser_client.facilitator)
    s = make_session(cohort)
    for url in ("/cohorts", "/cohorts/new", f"/cohorts/{cohort.id}", f"/sessions/{s.id}",
                f"/cohorts/{cohort.id}/delete",
                f"/cohorts/{cohort.id}/participants/{cohort.participants[0].id}/edit"):
        html = browser_client.get(url).text
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
        assert forms, url
        for form in forms:
            assert f'name="csrf_token" value="{browser_client.csrf}"' in form, (url, form)


def test_forms_without_the_right_token_are_refused(browser_client: Browser, make_cohort: Any,
                                                   db: Session) -> None:
    from app.cohorts.models import Cohort

    cohort = make_cohort(browser_client.facilitator)
    client = browser_client.client
    url = f"/cohorts/{cohort.id}/delete"
    assert client.post(url, data={"confirm_name": cohort.name}).status_code == 403
    assert client.post(url, data={"confirm_name": cohort.name, "csrf_token": "x" * 64}
                       ).status_code == 403
    assert db.scalar(select(Cohort).where(Cohort.id == cohort.id)) is not None


def test_bearer_token_flow(client: TestClient, facilitator: Any) -> None:
    response = client.post(
        "/api/v1/auth/token",
        data={"username": facilitator.email, "password": FACILITATOR_PASSWORD},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    me = client.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200 and me.json()["email"] == facilitator.email
    # No CSRF token is needed with a bearer token.
    created = client.post("/api/v1/cohorts", json={"name": "Bearer cohort"}, headers=headers)
    assert created.status_code == 201, created.text
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_bad_credentials_and_tokens_get_401(client: TestClient, facilitator: Any) -> None:
    response = client.post("/api/v1/auth/token",
                           data={"username": facilitator.email, "password": "wrong"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    for header in ("Bearer nope", "Basic Zm9vOmJhcg==", "Bearer"):
        assert client.get("/api/v1/cohorts", headers={"Authorization": header}).status_code == 401


def test_api_with_the_cookie_needs_the_csrf_header(browser_client: Browser) -> None:
    client = browser_client.client
    assert client.get("/api/v1/cohorts").status_code == 200  # reading needs no token
    assert client.post("/api/v1/cohorts", json={"name": "x"}).status_code == 403
    response = client.post("/api/v1/cohorts", json={"name": "x"},
                           headers={"X-CSRF-Token": browser_client.csrf})
    assert response.status_code == 201


def test_pages_have_security_headers(browser_client: Browser) -> None:
    response = browser_client.get("/cohorts")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<script>" not in response.text  # no inline script
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
