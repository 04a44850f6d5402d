"""The ASGI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from app import PACKAGE_DIR
from app.cohorts import api as cohorts_api
from app.cohorts import web as cohorts_web
from app.config import Settings, get_settings
from app.db import Database
from app.facilitators import api as facilitators_api
from app.facilitators import web as facilitators_web
from app.health import api as health_api
from app.logs import install_redaction
from app.middleware import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from app.participation import api as participation_api
from app.participation import web as participation_web
from app.ratelimit import configure_rate_limits
from app.reports import api as reports_api

logger = logging.getLogger("wellspring")

OPENAPI_TAGS = [
    {"name": "auth", "description": "Facilitator sign-in: OAuth2 password flow, bearer tokens."},
    {"name": "cohorts", "description": "Cohorts, rosters and co-facilitators."},
    {"name": "sessions", "description": "Monthly sessions, personal links, progress and reports."},
    {"name": "participant", "description": "The participant's side, by personal link token."},
    {"name": "health", "description": "Liveness and readiness probes."},
]


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = database or Database(settings.database_url)
    install_redaction()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        from app.reports.pool import shutdown_pool

        shutdown_pool()
        database.dispose()

    app = FastAPI(
        title="Wellspring",
        version="1.0.0",
        summary="The network-map exercise for leadership cohorts.",
        openapi_tags=OPENAPI_TAGS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database

    configure_rate_limits(app, settings)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.https)

    for module in (
        health_api,
        facilitators_api,
        facilitators_web,
        cohorts_api,
        cohorts_web,
        participation_api,
        participation_web,
        reports_api,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(PACKAGE_DIR / "static")), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/cohorts", status_code=303)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)

    return app
