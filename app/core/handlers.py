"""Exception handlers: domain errors become HTTP answers here, and nowhere else.

- `NotFound` -> 404, `Conflict` -> 409, `Invalid` -> 422 in FastAPI's own
  validation-error shape (one entry per problem, `loc` naming the field);
- an `IntegrityError` that escapes a service (two requests creating the same
  thing at once) -> 409, never a 500;
- `RollbackWith` -> its response, after the request's transaction rolled back
  (a page shown again with its errors must not commit half a change);
- a request that fails validation -> 422 without echoing the input back, since
  an input that cannot be encoded (a lone surrogate) would turn it into a 500.
"""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, Invalid, NotFound
from app.core.logs import redact
from app.core.ratelimit import TooManyRequests, client_address
from app.core.web import RollbackWith

logger = logging.getLogger("wellspring")

CONFLICT_MESSAGE = (
    "conflict: this was changed or created at the same time by another request; "
    "reload and try again"
)


def invalid_detail(exc: Invalid) -> list[dict[str, object]]:
    return [
        {"loc": ["body", message.split(":", 1)[0].strip()], "msg": message, "type": "value_error"}
        for message in exc.errors
    ]


def _json(status: int, detail: object) -> Response:
    return Response(
        json.dumps({"detail": detail}, ensure_ascii=True),
        status_code=status,
        media_type="application/json",
    )


async def not_found(request: Request, exc: Exception) -> Response:
    return _json(404, str(exc))


async def conflict(request: Request, exc: Exception) -> Response:
    return _json(409, str(exc))


async def invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Invalid)
    return _json(422, invalid_detail(exc))


async def integrity_error(request: Request, exc: Exception) -> Response:
    logger.info("integrity conflict on %s %s: %s", request.method, request.url.path,
                type(getattr(exc, "orig", exc)).__name__)
    return _json(409, CONFLICT_MESSAGE)


async def too_many_requests(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TooManyRequests)
    # The path may hold a link token: log it redacted.
    logger.warning("rate limit hit (%s): %s %s from %s", exc.what, request.method,
                   redact(request.url.path), client_address(request))
    return JSONResponse(
        {"detail": "too many requests: please wait a minute and try again"},
        status_code=429,
        headers={"Retry-After": str(exc.retry_after)},
    )


async def rollback_with(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RollbackWith)
    return exc.response


async def invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    detail = [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""),
         "type": error.get("type", "")}
        for error in exc.errors()
    ]
    return _json(422, detail)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse({"detail": "internal error"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(Conflict, conflict)
    app.add_exception_handler(Invalid, invalid)
    app.add_exception_handler(IntegrityError, integrity_error)
    app.add_exception_handler(RollbackWith, rollback_with)
    app.add_exception_handler(TooManyRequests, too_many_requests)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, unexpected_error)
