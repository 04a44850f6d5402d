"""Server-rendered pages: one Jinja2 environment, translated per request."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from app import TEMPLATES_DIR
from app.i18n import LANGUAGE_NAMES, gettext, language, ngettext, normalize_language

_environment = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(default=True),
    extensions=["jinja2.ext.i18n"],
)
templates = Jinja2Templates(env=_environment)
templates.env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
templates.env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES

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
