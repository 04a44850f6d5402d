"""A lean HTTP/1.1 client for the load bench: one keep-alive connection per participant.

The bench runs its clients on the same cores as the server. httpx costs about as
much CPU per request as the server itself (measured: 8.5 ms against the server's
9.4 ms), so with httpx the bench measures the client as much as the server. This
client does only what the bench needs over asyncio streams: one request at a
time on one connection, ``Content-Length`` bodies (the API never chunks), and
JSON. It quacks like the part of ``httpx.AsyncClient`` that the harness uses, and
raises ``httpx.TransportError`` subclasses, so the harness treats both alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import json as jsonlib
from typing import Any
from urllib.parse import urlsplit

import httpx


class LeanResponse:
    def __init__(self, status_code: int, headers: dict[str, str], content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers  # lower-case names
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return jsonlib.loads(self.content)


class LeanClient:
    """``async with LeanClient() as client: await client.request("GET", url)``."""

    def __init__(self, timeout: float = 60) -> None:
        self.timeout = timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._target: tuple[str, int] | None = None

    async def __aenter__(self) -> LeanClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def _connect(self, host: str, port: int) -> None:
        if self._writer is not None and self._target == (host, port):
            return
        await self.aclose()
        try:
            self._reader, self._writer = await asyncio.open_connection(host, port)
        except OSError as exc:
            raise httpx.ConnectError(str(exc)) from exc
        self._target = (host, port)

    async def request(self, method: str, url: str, *, json: Any = None,
                      headers: dict[str, str] | None = None) -> LeanResponse:
        try:
            return await asyncio.wait_for(self._request(method, url, json, headers or {}),
                                          self.timeout)
        except TimeoutError as exc:
            await self.aclose()
            raise httpx.ReadTimeout(f"{method} {url}: no answer in {self.timeout} s") from exc

    async def get(self, url: str, **kwargs: Any) -> LeanResponse:
        return await self.request("GET", url, **kwargs)

    async def put(self, url: str, **kwargs: Any) -> LeanResponse:
        return await self.request("PUT", url, **kwargs)

    async def _request(self, method: str, url: str, json: Any,
                       headers: dict[str, str]) -> LeanResponse:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        body = b"" if json is None else jsonlib.dumps(json).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}",
                 f"Content-Length: {len(body)}"]
        if json is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{name}: {value}" for name, value in headers.items()]
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            await self._connect(host, port)
            assert self._reader is not None and self._writer is not None
            try:
                self._writer.write(payload)
                await self._writer.drain()
                return await self._read_response()
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                await self.aclose()
                if attempt == 2:
                    raise httpx.ReadError(f"{method} {url}: {exc!r}") from exc
        raise AssertionError("unreachable")

    async def _read_response(self) -> LeanResponse:
        assert self._reader is not None
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        content = await self._reader.readexactly(length) if length else b""
        if headers.get("connection", "").lower() == "close":
            await self.aclose()
        return LeanResponse(status, headers, content)
