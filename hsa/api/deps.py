"""Request-scoped dependencies: one DB session per request, the actor from the bearer token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from hsa.db import session_scope
from hsa.services.actors import Actor
from hsa.services.sessions import resolve_actor

bearer = HTTPBearer(auto_error=False, description="Token from POST /api/v1/auth/token")


def get_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_actor(session: SessionDep,
              credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Actor | None:
    """None for anonymous callers; the services decide whether that is allowed (401 if not)."""
    return resolve_actor(session=session, token=credentials.credentials) if credentials else None


ActorDep = Annotated[Actor | None, Depends(get_actor)]
TokenDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

# Path ids are bounded: SQLite integers are 64-bit, and a larger id must be a 422, not a crash.
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
