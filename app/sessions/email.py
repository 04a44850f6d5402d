"""The email that carries a personal link, in the participant's language."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr

from app.cohorts.models import Cohort, Participant
from app.core.config import Settings
from app.core.i18n import get_translations, normalize_language
from app.core.timezones import format_local
from app.facilitators.models import Facilitator
from app.sessions.models import CohortSession


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
    lang = normalize_language(participant.language or cohort.language)
    _ = get_translations(lang).gettext
    values = {
        "name": participant.name,
        "number": cohort_session.number,
        "title": cohort_session.title,
        "cohort": cohort.name,
        "deadline": format_local(cohort_session.deadline, cohort.time_zone, lang),
    }
    if reminder:
        subject = _("Reminder: your network map for session {number} is due {deadline}")
        body = _(
            "this is a friendly reminder: your network map for session {number} of {cohort}, "
            "\u201c{title}\u201d, is not submitted yet. The deadline is {deadline}. "
            "Whatever you have saved is still there."
        )
    else:
        subject = _("Your network map for session {number}: {title}")
        body = _(
            "session {number} of {cohort}, \u201c{title}\u201d, is open. Please fill in "
            "your network map before {deadline}. You can save a draft and come back later, "
            "on a laptop or a phone."
        )
    message = EmailMessage()
    message["Subject"] = _one_line(subject.format(**values))
    message["From"] = settings.mail_from
    message["To"] = formataddr((_one_line(participant.name), participant.email))
    if sender.email:
        message["Reply-To"] = formataddr((_one_line(sender.name or ""), sender.email))
    message["Message-ID"] = make_msgid(domain=_sender_domain(settings.mail_from))
    message["Content-Language"] = lang
    paragraphs = [
        _("Dear {name},").format(**values),
        body.format(**values),
        _("Your personal link:") + "\n" + link,
        _(
            "The link is yours alone: it opens your map without a password, so please do not "
            "forward it."
        ),
        _("See you at the session,") + "\n" + (sender.name or sender.email),
    ]
    message.set_content("\n\n".join(paragraphs) + "\n")
    return message


def _sender_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"
