"""The FastAPI app under /api/v1 and the ASGI guard for Reflex's upload endpoint.

The security headers wrap everything from outside (hsa/api/headers.py, last in hsa.py's list)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI

from hsa.api import ops, problems
from hsa.api.body_limit import BodyLimit
from hsa.api.docs import install_docs
from hsa.api.routes import admin, auth, bookings, catalog, describe, exports, files, invoices, my_data, payments
from hsa.services import documents

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

UPLOAD_LIMIT = documents.MAX_BYTES + 256 * 1024  # the file plus multipart overhead


def build_api() -> FastAPI:
    """Routes under /api/v1 (grown by the REST API issue)."""
    api = FastAPI(title="HomeServe API", version="1", docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Book household services. Authenticate with POST /auth/token, then send "
                              "`Authorization: Bearer <token>`. Errors are application/problem+json (RFC 9457).")
    problems.install(api)
    api.add_middleware(BodyLimit)
    install_docs(api)  # Swagger UI from our own files, not a CDN
    for router in (auth.router, catalog.router, bookings.router, admin.router, payments.router, invoices.router,
                   exports.router, my_data.router, files.router, describe.router):
        api.include_router(router)
    return api


def build_outer() -> FastAPI:
    """The app Reflex mounts itself into (`api_transformer`): /api/v1 plus Reflex at the root."""
    outer = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    outer.mount("/api/v1", build_api())
    ops.install_ops(outer)  # /healthz, /readyz, /metrics at the root + request metrics and logs
    return outer


def limit_upload_size(app: ASGIApp) -> ASGIApp:
    """Answer 413 before reading a body over the cap on Reflex's /_upload (it has no limit of its own)."""

    async def guarded(scope: Scope, receive: Callable[[], Awaitable[Any]],
                      send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith("/_upload"):
            headers = dict(scope.get("headers") or [])
            length = headers.get(b"content-length")
            status = 411 if length is None else 413 if int(length) > UPLOAD_LIMIT else 0
            if status:
                body = b"File too large (5 MB at most)." if status == 413 else b"Length required."
                headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return guarded
