"""The mail transport: SMTP_URL parsing and sending a batch over one connection.

SMTP_URL forms:
- `smtp://user:pass@host:25`: plain SMTP (no TLS), e.g. a local relay;
- `smtp+starttls://user:pass@host:587`: STARTTLS upgrade;
- `smtps://user:pass@host:465`: TLS from the first byte.
User and password are optional and may be percent-encoded.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

from app.core.config import Settings
from app.core.errors import Conflict

SMTP_TIMEOUT_SECONDS = 20
DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class MailNotConfigured(Conflict):
    """SMTP_URL is missing or unusable; the message says what to set (a 409 on the API)."""


@dataclass(frozen=True)
class SmtpConfig:
    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None
    sender: str


def parse_smtp_url(url: str, sender: str) -> SmtpConfig:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise MailNotConfigured(f"SMTP_URL: cannot parse ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise MailNotConfigured(
            "SMTP_URL: the scheme must be smtp://, smtp+starttls:// or smtps://"
        )
    if not parts.hostname:
        raise MailNotConfigured("SMTP_URL: the host is missing")
    return SmtpConfig(
        scheme=scheme,
        host=parts.hostname,
        port=port or DEFAULT_PORTS[scheme],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        sender=sender,
    )


def smtp_config(settings: Settings) -> SmtpConfig:
    if not settings.smtp_url:
        raise MailNotConfigured("email is not configured: set SMTP_URL (see the README)")
    return parse_smtp_url(settings.smtp_url, settings.mail_from)


# --- sending --------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    key: int  # e.g. the invitation id: results are reported by key
    message: EmailMessage


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    client: smtplib.SMTP
    if config.scheme == "smtps":
        client = smtplib.SMTP_SSL(
            config.host, config.port, timeout=SMTP_TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=SMTP_TIMEOUT_SECONDS)
        if config.scheme == "smtp+starttls":
            client.starttls(context=ssl.create_default_context())
    if config.username:
        client.login(config.username, config.password or "")
    return client


def describe(exc: BaseException) -> str:
    """A short, password-free reason for the facilitator."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        reasons = [
            f"{code} {raw.decode(errors='replace') if isinstance(raw, bytes) else raw}"
            for code, raw in exc.recipients.values()
        ]
        return "recipient refused: " + "; ".join(reasons)
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
        return f"SMTP {exc.smtp_code}: {text}"
    if isinstance(exc, ConnectionRefusedError):
        return "cannot connect to the mail server: connection refused"
    if isinstance(exc, TimeoutError):
        return "the mail server did not answer in time"
    return f"{type(exc).__name__}: {exc}"


def send_all(config: SmtpConfig, outgoing: Sequence[Outgoing]) -> dict[int, str | None]:
    """Send each message over one connection; returns {key: None if sent, else the reason}.

    A refused recipient fails only that message. If the server cannot be reached
    (or drops the connection and cannot be reached again), the rest fail with
    that reason instead of each waiting for its own timeout.
    """
    results: dict[int, str | None] = {}
    client: smtplib.SMTP | None = None
    envelope_from = parseaddr(config.sender)[1] or None
    try:
        for item in outgoing:
            if client is None:
                try:
                    client = _connect(config)
                except (smtplib.SMTPException, OSError) as exc:
                    reason = describe(exc)
                    for rest in outgoing:
                        results.setdefault(rest.key, reason)
                    break
            try:
                client.send_message(item.message, from_addr=envelope_from)
                results[item.key] = None
            except smtplib.SMTPRecipientsRefused as exc:
                results[item.key] = describe(exc)
            except smtplib.SMTPResponseException as exc:
                results[item.key] = describe(exc)
                _reset(client)
            except (smtplib.SMTPException, OSError) as exc:  # the connection is gone
                results[item.key] = describe(exc)
                _close(client)
                client = None
    finally:
        _close(client)
    return results


def _reset(client: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        client.rset()


def _close(client: smtplib.SMTP | None) -> None:
    if client is None:
        return
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
