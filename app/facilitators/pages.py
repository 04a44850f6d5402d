"""Rendering facilitator pages: language, CSRF token, notices and the signed-in facilitator."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.core.i18n import N_, translate
from app.core.web import render, request_language
from app.facilitators.models import Facilitator

# One-line notices after a redirect, by code: a page never echoes text from the URL.
NOTICES: dict[str, tuple[str, str]] = {
    "signed_out": ("ok", N_("You have signed out.")),
    "cohort_created": ("ok", N_("The cohort was created.")),
    "cohort_deleted": ("ok", N_("The cohort and everything in it were erased.")),
    "participants_added": ("ok", N_("Participants added: %(n)s.")),
    "roster_merged": ("ok", N_("Roster merged. Added: %(n)s. Updated: %(updated)s.")),
    "participant_updated": ("ok", N_("The participant was updated.")),
    "participant_removed": ("ok", N_("The participant and their maps were erased.")),
    "facilitator_added": ("ok", N_("The co-facilitator was added.")),
    "facilitator_removed": ("ok", N_("The co-facilitator was removed.")),
    "session_opened": ("ok", N_("The session is open. Share the links below.")),
    "session_opened_closed": ("ok", N_(
        "The session is open. Share the links below. The previous session is closed; you "
        "can reopen it from its page until its pack is printed.")),
    "session_closed": ("ok", N_("The session is closed.")),
    "reopen_refused": ("error", N_(
        "This session's pack was printed, so the session stays closed: reopening it would "
        "let maps change after the reports were handed out.")),
    "time_zone_changed": ("ok", N_("The time zone was changed.")),
    "session_reopened": ("ok", N_("The session is open again.")),
    "emails_sent": ("ok", N_("Emails sent: %(n)s. Failed: %(failed)s.")),
    "emails_failed": ("error", N_("Emails sent: %(n)s. Failed: %(failed)s.")),
    "nothing_to_send": ("info", N_("There was nobody to email.")),
    "link_reissued": ("ok", N_("A new link was issued; the old one no longer works.")),
    "link_revoked": ("ok", N_("The link was revoked.")),
    "deadline_invalid": (
        "error", N_("The deadline must be a date on or after the day the session opened.")
    ),
    "mail_not_configured": ("error", N_("Email is not configured: set SMTP_URL.")),
}


def notice_from(request: Request, lang: str) -> tuple[str, str] | None:
    code = request.query_params.get("notice")
    if not code or code not in NOTICES:
        return None
    kind, message = NOTICES[code]
    params = {
        key: int(value) if value.isdigit() else 0
        for key, value in request.query_params.items()
        if key in ("n", "failed", "updated")
    }
    params.setdefault("n", 0)
    params.setdefault("failed", 0)
    params.setdefault("updated", 0)
    return kind, translate(message, lang) % params


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    facilitator: Facilitator | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    lang = request_language(request)
    full: dict[str, Any] = {
        "facilitator": facilitator,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "current_path": request.url.path,
    }
    notice = notice_from(request, lang)
    if notice:
        full["flash_kind"], full["flash"] = notice
    full.update(context or {})
    return render(request, template, full, lang=lang, status_code=status_code)


def see_other(url: str, notice: str | None = None, **params: int) -> RedirectResponse:
    """Redirect after a POST, optionally with a notice code to show once."""
    if notice:
        path, hash_mark, fragment = url.partition("#")
        path += ("&" if "?" in path else "?") + urlencode({"notice": notice, **params})
        url = path + hash_mark + fragment
    return RedirectResponse(url, status_code=303)
