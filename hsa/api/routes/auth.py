"""Bearer tokens backed by the same server-side sessions (and lockout) as the web UI."""

from __future__ import annotations

import math

from fastapi import APIRouter, Request, Response, status

from hsa.api import ratelimit
from hsa.api.deps import TokenDep, call
from hsa.api.problems import problem, responses
from hsa.api.schemas import Credentials, TokenOut
from hsa.services import accounts

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=TokenOut, responses=responses(401, 422, 429))
def create_token(body: Credentials, request: Request) -> TokenOut | Response:
    """Exchange email and password for a bearer token (5 failures lock the account for 15 minutes)."""
    ip = request.client.host if request.client else "unknown"
    wait = max(ratelimit.by_ip.hit(ip), ratelimit.by_account.hit(body.email.strip().lower()))
    if wait:
        return problem(429, "rate-limited", "Too many attempts", "Too many login attempts. Try again shortly.",
                       headers={"Retry-After": str(math.ceil(wait))})
    result = call(accounts.login, email=body.email, password=body.password)
    return TokenOut(access_token=result.token, user_id=result.user_id, role=result.role)


@router.delete("/token", status_code=status.HTTP_204_NO_CONTENT, responses=responses(401))
def revoke_token(credentials: TokenDep) -> Response:
    """Log out: the token stops working at once."""
    if credentials is None:
        return problem(401, "not-authenticated", "Authentication required", "Send the token to revoke.",
                       headers={"WWW-Authenticate": "Bearer"})
    call(accounts.logout, token=credentials.credentials)
    return Response(status_code=204)
