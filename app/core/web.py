"""Server-rendered pages: one Jinja2 environment, translated per request."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.core import resources
from app.core.i18n import (
    LANGUAGE_NAMES,
    current_language,
    gettext,
    language,
    ngettext,
    normalize_language,
)
from app.core.timezones import format_local, local_date

_environment = Environment(
    loader=FileSystemLoader(str(resources.templates_dir())),
    autoescape=select_autoescape(default=True),
    extensions=["jinja2.ext.i18n"],
)
templates = Jinja2Templates(env=_environment)
templates.env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
templates.env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES


def _local_time(moment: datetime, time_zone: str | None) -> str:
    """A deadline in the cohort's zone, in the page's language: "31 Jan 2027, 23:59 CET"."""
    return format_local(moment, time_zone, current_language())


templates.env.filters["local_time"] = _local_time
templates.env.filters["local_date"] = local_date

LANGUAGE_COOKIE = "wellspring_lang"


def request_language(request: Request, default: str = "en") -> str:
    """?lang= wins, then the language cookie, then the given default."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return normalize_language(chosen, default)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    lang: str = "en",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    lang = normalize_language(lang)
    full_context = {"lang": lang, **(context or {})}
    # Starlette renders the template inside TemplateResponse(), so the language
    # context variable is in force for every {% trans %} of this page.
    with language(lang):
        response = templates.TemplateResponse(
            request, template, full_context, status_code=status_code, headers=headers
        )
    if request.query_params.get("lang") in LANGUAGE_NAMES:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


class RollbackWith(Exception):
    """Answer with `response`, after rolling the request's transaction back.

    A form shown again with its errors must not commit what the handler had
    already changed; raising this lets the session dependency roll back, and the
    exception handler then sends the page.
    """

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = [part.strip() for part in header.split(",")]
    return "*" in candidates or any(c.removeprefix("W/") == etag for c in candidates)


def download(
    request: Request, content: bytes, *, etag: str, filename: str, media_type: str,
    inline: bool = True,
) -> Response:
    """A generated file with its ETag; 304 when the browser already has this version.

    private: these files are personal, so no shared cache may keep them; no-cache:
    the browser revalidates each time, and the ETag makes that a 304.
    """
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if _etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    disposition = "inline" if inline else "attachment"
    headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return Response(content, media_type=media_type, headers=headers)


def attachment(content: bytes, media_type: str, filename: str) -> Response:
    """A file download (exports: CSV, ZIP)."""
    return Response(
        content, media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
