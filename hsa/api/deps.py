"""Request-scoped dependencies: one DB session per request, the actor from the bearer token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hsa.db import session_scope
from hsa.services.actors import Actor
from hsa.services.clients import UNKNOWN, client_address
from hsa.services.sessions import resolve_actor
from hsa.settings import get_settings

T = TypeVar("T")
bearer = HTTPBearer(auto_error=False, description="Token from POST /api/v1/auth/token")


def get_actor(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Actor | None:
    """None for anonymous callers; the services decide whether that is allowed (401 if not)."""
    if credentials is None:
        return None
    with session_scope() as session:  # short and self-contained: see `call`
        return resolve_actor(session=session, token=credentials.credentials)


ActorDep = Annotated[Actor | None, Depends(get_actor)]
TokenDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

# `Idempotency-Key` on POSTs: a retry with the same key returns the first result (the service checks its form).
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=80,
                                              description="Repeat a POST safely: the first result is returned")]

# Path ids are bounded: SQLite integers are 64-bit, and a larger id must be a 422, not a crash.
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def call(fn: Callable[..., T], /, *, readonly: bool = False, **kwargs: Any) -> T:
    """Run one service call in its own short transaction, inside the calling worker thread.

    Why not a request-scoped session dependency: FastAPI closes generator dependencies in
    another threadpool task, so a request would hold SQLite's write lock while waiting for a
    free thread, and under load every thread can end up waiting for that lock (deadlock until
    the busy timeout). Here the lock is taken and released within one function call.
    """
    with session_scope(readonly=readonly) as session:
        return fn(session=session, **kwargs)


def client_ip(request: Request) -> str:
    """The caller's address: the peer, or the forwarded address when the peer is a trusted proxy."""
    peer = request.client.host if request.client else UNKNOWN
    return client_address(peer, request.headers.get("x-forwarded-for", ""), get_settings().trusted_proxies)
