"""The ASGI application."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from app.cohorts import api as cohorts_api
from app.cohorts import web as cohorts_web
from app.core import resources
from app.core.config import Settings, get_settings
from app.core.db import Database, pool_options
from app.core.handlers import install_error_handlers
from app.core.i18n import ensure_catalogs
from app.core.logs import install_redaction
from app.core.middleware import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from app.core.ratelimit import RateLimits
from app.core.web import render
from app.dashboard import api as dashboard_api
from app.dashboard import web as dashboard_web
from app.exports import api as exports_api
from app.facilitators import api as facilitators_api
from app.facilitators import web as facilitators_web
from app.health import api as health_api
from app.participation import api as participation_api
from app.participation import web as participation_web
from app.reports import api as reports_api
from app.reports.rendering.pool import shutdown_pool
from app.reports.rendering.pool import warm_up as warm_up_pool
from app.reports.rendering.render import warm_up as warm_up_renderer
from app.sessions import api as sessions_api
from app.sessions import web as sessions_web

logger = logging.getLogger("wellspring")

# Every router of the app, in the order their routes are matched. The participant API
# comes first: it carries nearly all the traffic (a class autosaving), and no other
# router has a path under /api/v1/p/, so matching it first changes no answer.
ROUTERS = (
    participation_api.router,
    health_api.router,
    facilitators_api.router,
    facilitators_web.router,
    cohorts_api.router,
    cohorts_web.router,
    sessions_api.cohort_sessions,
    sessions_api.router,
    sessions_web.router,
    dashboard_api.router,
    dashboard_web.router,
    reports_api.router,
    reports_api.cohort_router,
    exports_api.router,
    participation_web.router,
)

OPENAPI_TAGS = [
    {"name": "auth", "description": "Facilitator sign-in: OAuth2 password flow, bearer tokens."},
    {"name": "cohorts", "description": "Cohorts, rosters and co-facilitators."},
    {"name": "sessions", "description": "Monthly sessions, personal links, progress and reports."},
    {"name": "participant", "description": "The participant's side, by personal link token."},
    {"name": "health", "description": "Liveness and readiness probes."},
]


def create_served_app() -> FastAPI:
    """The app as `wellspring serve` runs it in each worker process: `create_app`, and
    what start-up created is frozen out of the garbage collector's full passes (which
    otherwise walk every module, mapper and compiled schema: ~0.1 s each under load on
    PostgreSQL). Not in `create_app`: a process that makes many apps (the tests) would
    keep their garbage, connections included, out of reach of the collector meanwhile."""
    return create_app(freeze_gc=True)


def create_app(
    settings: Settings | None = None, database: Database | None = None, *,
    freeze_gc: bool = False,
) -> FastAPI:
    ensure_catalogs()  # refuse to start rather than quietly serve English
    settings = settings or get_settings()
    database = database or Database(settings.database_url, **pool_options(settings))
    install_redaction()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warming: threading.Thread | None = None
        if settings.render_warm_up:
            # In a thread, so start-up (and /readyz) never waits for the render workers.
            warming = threading.Thread(
                target=warm_up_pool,
                args=(settings.render_workers, partial(warm_up_renderer, settings.page_size)),
                name="render-warm-up", daemon=True,
            )
            warming.start()
        app.state.render_warm_up = warming
        if freeze_gc:  # see create_served_app
            gc.freeze()
        yield
        if freeze_gc:
            gc.unfreeze()
        if warming is not None:
            warming.join(timeout=120)  # long done, unless stopped at once: no pool may outlive us
        shutdown_pool()
        database.dispose()

    app = FastAPI(
        title="Wellspring",
        version="1.0.0",
        summary="The network-map exercise for leadership cohorts.",
        openapi_tags=OPENAPI_TAGS,
        lifespan=lifespan,
        # Swagger UI needs a CDN and inline script, which the CSP forbids; /docs is ours.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database

    app.state.rate_limits = RateLimits(settings)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.https)

    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(resources.static_dir())), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/cohorts", status_code=303)

    app.openapi = lambda: openapi_with_body_errors(app)  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        return render(request, "api_docs.html", {"operations": api_operations(app.openapi())})

    install_error_handlers(app)
    return app


def openapi_with_body_errors(app: FastAPI) -> dict[str, Any]:
    """The generated schema, plus the 400 that any operation with a body can answer.

    FastAPI (and our JSON guard in app.core.middleware) refuse a body that cannot be
    parsed with 400, but FastAPI does not document it; clients and schemathesis
    should see it.
    """
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    bad_body = {
        "description": "The body could not be parsed (not JSON, NaN, duplicate keys...)",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"detail": {}},
                    "required": ["detail"],
                }
            }
        },
    }
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("400", bad_body)
    app.openapi_schema = schema
    return schema


def api_operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The OpenAPI operations as rows for the /docs page, grouped by tag order."""
    tag_order = {tag["name"]: index for index, tag in enumerate(OPENAPI_TAGS)}
    rows = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            rows.append(
                {
                    "tag": tag,
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "responses": sorted(operation.get("responses", {})),
                    "secured": bool(operation.get("security")),
                }
            )
    rows.sort(key=lambda row: (tag_order.get(row["tag"], 99), row["path"], row["method"]))
    return rows
