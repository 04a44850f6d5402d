"""Pure ASGI middleware: security headers, a request-body limit and strict JSON bodies."""

from __future__ import annotations

import json
import math

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Routes that read their raw body with a parser as strict as this one
# (app/participation/payload.py): checking it twice only costs time.
STRICT_ELSEWHERE = ("/api/v1/p/",)
# Paths whose pages are personal: never cached by browsers or proxies.
PRIVATE_PREFIXES = ("/p/", "/api/v1/p/", "/cohorts", "/sessions", "/login", "/logout", "/api/v1/")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Frame-Options", "DENY")
                content_type = headers.get("content-type", "")
                if content_type.startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                if path.startswith(PRIVATE_PREFIXES) and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
                if self.hsts:
                    headers.setdefault(
                        "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Refuse request bodies over `max_bytes` with 413, whether or not Content-Length is sent.

    JSON bodies are also read strictly here, once for every endpoint: Python's
    json module (which FastAPI uses) accepts NaN, Infinity and 1e999 and lone
    UTF-16 surrogates such as "\\ud800", and lets a repeated key silently win.
    Pydantic then refuses the value, and the 422 that echoes it cannot be encoded
    (NaN is not JSON, a surrogate is not UTF-8): the client got a 500. Such a
    body is refused here with a 400 that says what and where. (400, not 422:
    the facilitator API documents 422 in FastAPI's validation-error shape.) A
    repeated key is refused too, rather than guessing which value was meant.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._refuse(send, "invalid Content-Length header", 400)
                    return
                if declared > self.max_bytes:
                    await self._refuse(send, self._too_large(), 413)
                    return
        if _is_json(scope) and not scope["path"].startswith(STRICT_ELSEWHERE):
            await self._strict_json(scope, receive, send)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await self._refuse(send, self._too_large(), 413)

    async def _strict_json(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the whole (bounded) body, check it, then hand it on unchanged."""
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away before sending the body: let the app see that.
                await self.app(scope, _replay(b"".join(chunks), receive, message), send)
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(send, self._too_large(), 413)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = json_problem(body)
        if problem is not None:
            status, detail = problem
            await self._refuse(send, detail, status)
            return
        await self.app(scope, _replay(body, receive, None), send)

    def _too_large(self) -> str:
        return f"request body: larger than the limit of {self.max_bytes} bytes"

    @staticmethod
    async def _refuse(send: Send, detail: str, status: int) -> None:
        # `errors` too: the participant API's error shape (ErrorOut) has both.
        body = json.dumps({"detail": detail, "errors": [detail]}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


# --- strict JSON -------------------------------------------------------------------------

JSON_MAX_DEPTH = 64
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _is_json(scope: Scope) -> bool:
    if scope.get("method") not in _BODY_METHODS:
        return False
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            media_type = value.split(b";", 1)[0].strip().lower()
            return bool(media_type == b"application/json" or media_type.endswith(b"+json"))
    return False


def _replay(body: bytes, receive: Receive, pending: Message | None) -> Receive:
    """A receive() that gives the body already read, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if pending is not None:
            return pending
        return await receive()

    return replay


class _StrictJSONError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _StrictJSONError(f"body: the field {key!r} appears twice", 400)
        result[key] = value
    return result


def _refuse_constant(name: str) -> object:
    raise _StrictJSONError(f"body: not valid JSON ({name} is not a JSON number)", 400)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _StrictJSONError(f"body: not valid JSON ({text[:20]} is too large a number)", 400)
    return value


def json_problem(body: bytes) -> tuple[int, str] | None:
    """(status, message) when a JSON body must be refused, None when it may go on.

    Only what Python reads but JSON does not allow is refused here. A body that
    is not JSON at all (bad syntax, not UTF-8, nested too deeply) goes on
    unchanged: an endpoint that reads a body already answers 400 for it, and
    one that takes no body ignores it, as before. So does an empty body.
    """
    if not body.strip():
        return None
    try:
        text = body.decode("utf-8")
        data = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant,
            parse_float=_finite_float,
        )
    except _StrictJSONError as exc:
        return exc.args[1], exc.args[0]
    except (ValueError, RecursionError):  # not JSON at all: the endpoint's parser decides
        return None
    return _bad_text(data, "", 0)


def _bad_text(value: object, path: str, depth: int) -> tuple[int, str] | None:
    """The first string (or key) that is not valid Unicode: a lone surrogate cannot be
    stored by any database, nor sent back in an error message."""
    if depth > JSON_MAX_DEPTH:
        return None  # too deep to walk here; the endpoint's parser refuses such bodies
    if isinstance(value, str):
        if _has_surrogate(value):
            return 400, f"{path or 'body'}: not valid Unicode text (a lone surrogate)"
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if _has_surrogate(key):
                return 400, f"{path or 'body'}: a field name is not valid Unicode text"
            found = _bad_text(item, where, depth + 1)
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _bad_text(item, f"{path}[{index}]", depth + 1)
            if found is not None:
                return found
    return None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
