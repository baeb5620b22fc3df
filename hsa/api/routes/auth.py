"""Bearer tokens backed by the same server-side sessions and sign-in budgets as the web UI."""

from __future__ import annotations

import math

from fastapi import APIRouter, Request, Response, status

from hsa.api.deps import TokenDep, call, client_ip
from hsa.api.problems import problem, responses
from hsa.api.schemas import Credentials, TokenOut
from hsa.pools import run_sign_in
from hsa.services import accounts, signin
from hsa.services.passwords import Busy

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=TokenOut, responses=responses(401, 422, 429, 503))
async def create_token(body: Credentials, request: Request) -> TokenOut | Response:
    """Exchange email and password for a bearer token.

    Attempts are budgeted per client address and failures per (account, address), with growing
    waits (429 with `Retry-After`); a `device_token` from an earlier sign-in keeps working while
    the account is attacked from elsewhere. Runs on the sign-in threads, like the web form.
    """
    ip = client_ip(request)
    try:
        result = await run_sign_in(lambda: call(signin.login, email=body.email, password=body.password,
                                                client_ip=ip, device_token=body.device_token))
    except signin.Throttled as exc:
        return problem(429, "rate-limited", "Too many attempts", exc.message,
                       headers={"Retry-After": str(math.ceil(exc.retry_after))})
    except Busy as exc:
        return problem(503, "busy", "Server busy", exc.message, headers={"Retry-After": "2"})
    return TokenOut(access_token=result.token, user_id=result.user_id, role=result.role,
                    device_token=result.device_token)


@router.delete("/token", status_code=status.HTTP_204_NO_CONTENT, responses=responses(401))
def revoke_token(credentials: TokenDep) -> Response:
    """Log out: the token stops working at once."""
    if credentials is None:
        return problem(401, "not-authenticated", "Authentication required", "Send the token to revoke.",
                       headers={"WWW-Authenticate": "Bearer"})
    call(accounts.logout, token=credentials.credentials)
    return Response(status_code=204)
