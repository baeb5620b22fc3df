"""A cap on request bodies under /api/v1, enforced while the body streams in.

Every API body is a small JSON object (the largest, a review, is about 1 KB), but Starlette
reads whatever a client sends into memory before FastAPI validates it. Verification documents
go through Reflex's /_upload, which has its own cap (`limit_upload_size` in hsa/api/app.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from hsa.api import problems

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 64 * 1024
TOO_LARGE = f"The request body is larger than {MAX_BODY_BYTES // 1024} KiB."


class BodyLimit:
    """Pure ASGI middleware (`api.add_middleware(BodyLimit)`): a declared Content-Length over the cap
    is answered 413 before the app runs; a body without one (chunked) is counted as it arrives and
    the read that crosses the cap raises a 413 HTTPException, which the problem handler renders."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is None or declared < 0:
            response = problems.problem(400, "bad-request", "Bad request", "Content-Length is not a number.")
            await response(scope, receive, send)
            return
        if declared > self.max_bytes:
            response = problems.problem(413, "too-large", TOO_LARGE, TOO_LARGE)  # as _http renders it
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, TOO_LARGE)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    """0 when absent (chunked or no body: counted while streaming), None when not a number."""
    for name, value in scope.get("headers") or ():
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return 0
