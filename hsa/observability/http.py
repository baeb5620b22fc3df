"""ASGI middleware: request ids, the HTTP latency histogram and one log line per request.

Installed on the outer FastAPI app (`hsa.api.ops.install_ops`), so it sees /api/v1, the ops
endpoints and everything Reflex serves over HTTP (pages, /_upload, /ping); websockets pass
through untouched (events are measured by `reflex_hooks`).

The route label is the matched route's *template* (`/api/v1/bookings/{request_id}`), read from
the scope after Starlette routed the request; unmatched paths share one label, so scanners
probing random URLs cannot create new series.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import structlog

from hsa.observability.logs import get_logger
from hsa.observability.metrics import ERRORS, HTTP_SECONDS

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REQUEST_ID_HEADER = b"x-request-id"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
FRONTEND = "frontend"  # Reflex's compiled pages and assets: counted, but not logged line by line
# Probes and scrapes arrive every few seconds: logged only when refused or failing.
QUIET = frozenset({FRONTEND, "/healthz", "/readyz", "/metrics", "/ping"})
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
CLIENT_CLOSED = 499  # nginx's code for a client that went away before the answer

log = get_logger("hsa.http")


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's X-Request-ID when it is a plausible id (8-128 of [A-Za-z0-9._:-]), else a new one.

    Anything else (too long, spaces, control characters) is replaced rather than echoed into our
    logs and headers."""
    for name, value in headers:
        if name.lower() == REQUEST_ID_HEADER:
            candidate = value.decode("latin-1")
            if _SANE_ID.fullmatch(candidate):
                return candidate
            break
    return uuid.uuid4().hex


def route_label(scope: Scope) -> str:
    """Template of the innermost route Starlette matched, prefixed with the mounts above it."""
    route = scope.get("route")
    root = str(scope.get("root_path") or "")[len(str(scope.get("app_root_path") or "")):]
    if route is None:  # FastAPI's router records mounts in root_path only: "/api/v1/*" for its 404s
        return f"{root}/*" if root else UNMATCHED
    if getattr(route, "name", None) == FRONTEND:
        return FRONTEND
    if hasattr(route, "routes") or not hasattr(route, "endpoint"):  # a Mount nobody routed further
        return f"{root}/*"
    return f"{root}{getattr(route, 'path', '')}" or "/"


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class RequestMetrics:
    """Time every HTTP request, tag it with a request id (echoed as `X-Request-ID`) and log it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(list(scope.get("headers") or []))
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER]
                message["headers"] = [*headers, (REQUEST_ID_HEADER, request_id.encode("latin-1"))]
            await send(message)

        error: BaseException | None = None
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            except asyncio.CancelledError:
                status = status or CLIENT_CLOSED
                raise
            except BaseException as exc:
                error = exc
                status = status if status >= 500 else 500
                raise
            finally:
                self._record(scope, status or 500, time.perf_counter() - started, error)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float, error: BaseException | None) -> None:
        route, method = route_label(scope), str(scope.get("method", "GET")).upper()
        method = method if method in METHODS else "OTHER"  # the method is client input too
        HTTP_SECONDS.labels(route=route, method=method, status=status_class(status)).observe(seconds)
        if status >= 500:
            ERRORS.labels(kind="http_5xx").inc()
        if route in QUIET and status < (500 if route == FRONTEND else 400):
            return
        fields = {"method": method, "route": route, "path": scope.get("path", ""), "status": status,
                  "duration_ms": round(seconds * 1000, 2)}
        if error is not None:
            log.error("http_request", **fields, exc_info=error)
        elif status >= 500:
            log.error("http_request", **fields)
        else:
            log.info("http_request", **fields)
