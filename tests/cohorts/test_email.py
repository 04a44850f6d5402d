"""Emailing personal links through a real SMTP server (aiosmtpd) started by the test."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from fastapi.testclient import TestClient

from app.core.mail import MailNotConfigured, parse_smtp_url
from app.main import create_app
from tests.cohorts.conftest import Browser, bearer
from tests.conftest import free_port, make_settings


@dataclass
class Mailbox:
    """An aiosmtpd handler: keeps every message; refuses recipients starting with "bounce"."""

    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        if address.startswith("bounce"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                     data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            self.logins.append((data.login, data.password))
            return AuthResult(success=data.password == b"p@ss word")
        return AuthResult(success=False)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port,
                            authenticator=box.authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def mail_client(settings: Any, database: Any, smtp_url: str | None) -> TestClient:
    configured = make_settings(settings.database_url, smtp_url=smtp_url,
                               mail_from="Wellspring <noreply@wellspring.example>")
    return TestClient(create_app(configured, database))


def setup_cohort(db: Any, settings: Any, make_facilitator: Any, make_session: Any,
                 emails: list[tuple[str, str, str | None]]) -> tuple[Any, Any, Any]:
    from app.cohorts.schemas import ParticipantIn
    from app.cohorts.service import add_participants, create_cohort

    facilitator = make_facilitator()
    cohort = create_cohort(db, name="Coorte di primavera", program_id="leadership-8-month",
                           language="it", facilitators=[facilitator])
    add_participants(db, cohort, [
        ParticipantIn(name=name, email=address, language=lang) for name, address, lang in emails
    ])
    cohort_session = make_session(cohort)
    db.flush()
    return facilitator, cohort, cohort_session


def test_links_go_out_in_the_participants_language(
    mailbox: tuple[Mailbox, int], settings: Any, database: Any, db: Any,
    make_facilitator: Any, make_session: Any,
) -> None:
    box, port = mailbox
    facilitator, _cohort, s = setup_cohort(db, settings, make_facilitator, make_session, [
        ("Giulia Rossi", "giulia@example.org", None),
        ("Zoë Müller", "zoe@example.org", "en"),
    ])
    client = mail_client(settings, database, f"smtp://127.0.0.1:{port}")
    headers = bearer(client, facilitator.email)
    response = client.post(f"/api/v1/sessions/{s.id}/send-links", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["sent"] == 2 and response.json()["failed"] == 0

    links = {link["email"]: link["link"]
             for link in client.get(f"/api/v1/sessions/{s.id}/links", headers=headers).json()}
    italian, = box.to("giulia@example.org")
    assert "mappa relazionale" in str(italian["Subject"])
    body = italian.get_content()
    assert "Gentile Giulia Rossi" in body and links["giulia@example.org"] in body
    assert str(italian["Reply-To"]).endswith(f"<{facilitator.email}>")
    english, = box.to("zoe@example.org")
    assert "network map" in str(english["Subject"]) and "Zoë Müller" in str(english["To"])
    assert links["zoe@example.org"] in english.get_content()

    # Sent links are not sent twice; `resend` sends them all again.
    again = client.post(f"/api/v1/sessions/{s.id}/send-links", headers=headers).json()
    assert again["sent"] == 0 and len(box.messages) == 2
    resent = client.post(f"/api/v1/sessions/{s.id}/send-links", json={"resend": True},
                         headers=headers).json()
    assert resent["sent"] == 2 and len(box.messages) == 4


def test_a_refused_recipient_fails_alone_and_can_be_retried(
    mailbox: tuple[Mailbox, int], settings: Any, database: Any, db: Any,
    make_facilitator: Any, make_session: Any,
) -> None:
    box, port = mailbox
    facilitator, cohort, s = setup_cohort(db, settings, make_facilitator, make_session, [
        ("Ada Good", "ada@example.org", None),
        ("Bo Bounce", "bounce.bo@example.org", None),
    ])
    client = mail_client(settings, database, f"smtp://127.0.0.1:{port}")
    browser = Browser(client, facilitator).sign_in()
    response = browser.post(f"/sessions/{s.id}/send-links")
    assert response.status_code == 303
    assert "notice=emails_failed" in response.headers["location"]
    page = browser.get(response.headers["location"]).text
    assert "Emails sent: 1. Failed: 1." in page or "Email inviate: 1" in page
    assert "550" in page and "mailbox unavailable" in page
    assert len(box.messages) == 1

    bo = next(p for p in cohort.participants if p.name == "Bo Bounce")
    invitation = next(i for i in s.invitations if i.participant_id == bo.id)
    # Fix the address, then retry just that one.
    edit = browser.post(f"/cohorts/{cohort.id}/participants/{bo.id}/edit",
                        data={"name": "Bo Bounce", "email": "bo@example.org"})
    assert edit.status_code == 303
    retry = browser.post(f"/sessions/{s.id}/invitations/{invitation.id}/send")
    assert retry.status_code == 303 and "emails_sent" in retry.headers["location"]
    assert len(box.to("bo@example.org")) == 1
    status = client.get(f"/api/v1/sessions/{s.id}", headers=bearer(client, facilitator.email))
    assert {p["email_status"] for p in status.json()["participants"]} == {"sent"}


def test_an_unreachable_server_fails_every_send_then_a_retry_works(
    mailbox: tuple[Mailbox, int], settings: Any, database: Any, db: Any,
    make_facilitator: Any, make_session: Any,
) -> None:
    box, port = mailbox
    facilitator, _cohort, s = setup_cohort(db, settings, make_facilitator, make_session, [
        ("Ada", "ada@example.org", None), ("Bo", "bo@example.org", None),
    ])
    closed = free_port()  # nothing listens there
    down = mail_client(settings, database, f"smtp://127.0.0.1:{closed}")
    headers = bearer(down, facilitator.email)
    result = down.post(f"/api/v1/sessions/{s.id}/send-links", headers=headers).json()
    assert result["sent"] == 0 and result["failed"] == 2
    assert all("connection refused" in r["email_error"] for r in result["results"])
    failed = down.get(f"/api/v1/sessions/{s.id}/links", headers=headers).json()
    assert {link["email_status"] for link in failed} == {"failed"}

    up = mail_client(settings, database, f"smtp://127.0.0.1:{port}")
    retried = up.post(f"/api/v1/sessions/{s.id}/send-links", headers=headers).json()
    assert retried["sent"] == 2 and len(box.messages) == 2


def test_reminders_go_only_to_those_who_have_not_submitted(
    mailbox: tuple[Mailbox, int], settings: Any, database: Any, db: Any,
    make_facilitator: Any, make_session: Any, submit_maps: Any,
) -> None:
    box, port = mailbox
    facilitator, cohort, s = setup_cohort(db, settings, make_facilitator, make_session, [
        (f"P{i}", f"p{i}@example.org", "en") for i in range(4)
    ])
    submit_maps(s.id, submitted=2, drafts=1)
    client = mail_client(settings, database, f"smtp://127.0.0.1:{port}")
    headers = bearer(client, facilitator.email)
    result = client.post(f"/api/v1/sessions/{s.id}/remind", headers=headers).json()
    assert result["sent"] == 2
    assert all("Reminder" in str(m["Subject"]) for m in box.messages)
    submitted = {p.email for p in cohort.participants[:2]}
    assert not any(box.to(address) for address in submitted)


def test_smtp_credentials_from_the_url(
    mailbox: tuple[Mailbox, int], settings: Any, database: Any, db: Any,
    make_facilitator: Any, make_session: Any,
) -> None:
    box, port = mailbox
    facilitator, _cohort, s = setup_cohort(db, settings, make_facilitator, make_session, [
        ("Ada", "ada@example.org", None)])
    client = mail_client(settings, database, f"smtp://mailer:p%40ss%20word@127.0.0.1:{port}")
    headers = bearer(client, facilitator.email)
    assert client.post(f"/api/v1/sessions/{s.id}/send-links", headers=headers
                       ).json()["sent"] == 1
    assert box.logins == [(b"mailer", b"p@ss word")]


def test_without_smtp_url_sending_is_refused_clearly(
    settings: Any, database: Any, db: Any, make_facilitator: Any, make_session: Any,
) -> None:
    facilitator, _cohort, s = setup_cohort(db, settings, make_facilitator, make_session, [
        ("Ada", "ada@example.org", None)])
    client = mail_client(settings, database, None)
    response = client.post(f"/api/v1/sessions/{s.id}/send-links",
                           headers=bearer(client, facilitator.email))
    assert response.status_code == 409 and "SMTP_URL" in response.json()["detail"]


def test_smtp_url_forms() -> None:
    plain = parse_smtp_url("smtp://mail.example.org", "x@example.org")
    assert (plain.scheme, plain.port, plain.username) == ("smtp", 25, None)
    tls = parse_smtp_url("smtp+starttls://u%40x:p%3Aw@mail.example.org", "x@example.org")
    assert (tls.port, tls.username, tls.password) == (587, "u@x", "p:w")
    assert parse_smtp_url("smtps://mail.example.org", "x@example.org").port == 465
    assert parse_smtp_url("smtps://mail.example.org:2465", "x@example.org").port == 2465
    for bad in ("http://mail.example.org", "smtp://", "smtp://host:notaport"):
        with pytest.raises(MailNotConfigured):
            parse_smtp_url(bad, "x@example.org")
