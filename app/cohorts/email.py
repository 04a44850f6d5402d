"""Emailing personal links through SMTP (SMTP_URL), in the participant's language.

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
from datetime import UTC
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

from babel.dates import format_datetime

from app.cohorts.models import Cohort, CohortSession, Participant
from app.config import Settings
from app.facilitators.models import Facilitator

SMTP_TIMEOUT_SECONDS = 20
DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class MailNotConfigured(RuntimeError):
    """SMTP_URL is missing or unusable; the message says what to set."""


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


# --- messages -------------------------------------------------------------------------

TEXTS = {
    "en": {
        "subject": "Your network map for session {number}: {title}",
        "subject_reminder": "Reminder: your network map for session {number} is due {deadline}",
        "greeting": "Dear {name},",
        "body": (
            "session {number} of {cohort}, \u201c{title}\u201d, is open. Please fill in "
            "your network map before {deadline}. You can save a draft and come back later, "
            "on a laptop or a phone."
        ),
        "body_reminder": (
            "this is a friendly reminder: your network map for session {number} of {cohort}, "
            "\u201c{title}\u201d, is not submitted yet. The deadline is {deadline}. "
            "Whatever you have saved is still there."
        ),
        "link": "Your personal link:",
        "personal": (
            "The link is yours alone: it opens your map without a password, so please do not "
            "forward it."
        ),
        "closing": "See you at the session,",
    },
    "it": {
        "subject": "La tua mappa relazionale per l'incontro {number}: {title}",
        "subject_reminder": (
            "Promemoria: la tua mappa relazionale per l'incontro {number} scade il {deadline}"
        ),
        "greeting": "Gentile {name},",
        "body": (
            "l'incontro {number} di {cohort}, \u00ab{title}\u00bb, \u00e8 aperto. Ti chiediamo "
            "di compilare la tua mappa relazionale entro il {deadline}. Puoi salvare una bozza "
            "e riprenderla in seguito, dal computer o dal telefono."
        ),
        "body_reminder": (
            "ti ricordiamo che la tua mappa relazionale per l'incontro {number} di {cohort}, "
            "\u00ab{title}\u00bb, non \u00e8 ancora stata inviata. La scadenza \u00e8 il "
            "{deadline}. Quello che hai salvato finora \u00e8 ancora l\u00ec."
        ),
        "link": "Il tuo link personale:",
        "personal": (
            "Il link \u00e8 solo tuo: apre la tua mappa senza password, quindi ti preghiamo di "
            "non inoltrarlo."
        ),
        "closing": "A presto all'incontro,",
    },
}


def _one_line(text: str) -> str:
    """Header values never carry line breaks (no header injection)."""
    return " ".join(text.split())


def link_message(
    settings: Settings,
    *,
    participant: Participant,
    cohort: Cohort,
    cohort_session: CohortSession,
    link: str,
    sender: Facilitator,
    reminder: bool = False,
) -> EmailMessage:
    lang = participant.language or cohort.language
    lang = lang if lang in TEXTS else "en"
    texts = TEXTS[lang]
    deadline = cohort_session.deadline
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=UTC)
    values = {
        "name": participant.name,
        "number": cohort_session.number,
        "title": cohort_session.title,
        "cohort": cohort.name,
        "deadline": format_datetime(deadline, "d MMMM yyyy, HH:mm 'UTC'", locale=lang),
    }
    subject_key = "subject_reminder" if reminder else "subject"
    body_key = "body_reminder" if reminder else "body"
    message = EmailMessage()
    message["Subject"] = _one_line(texts[subject_key].format(**values))
    message["From"] = settings.mail_from
    message["To"] = formataddr((_one_line(participant.name), participant.email))
    if sender.email:
        message["Reply-To"] = formataddr((_one_line(sender.name or ""), sender.email))
    message["Message-ID"] = make_msgid(domain=_sender_domain(settings.mail_from))
    message["Content-Language"] = lang
    body = "\n\n".join(
        [
            texts["greeting"].format(**values),
            texts[body_key].format(**values),
            f"{texts['link']}\n{link}",
            texts["personal"],
            f"{texts['closing']}\n{sender.name or sender.email}",
        ]
    )
    message.set_content(body + "\n")
    return message


def _sender_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


# --- sending --------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    key: int  # the invitation id
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
