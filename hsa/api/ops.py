"""Operations endpoints at the site root: /healthz, /readyz, /metrics (docs/operations.md).

They are routes of the outer app, registered before Reflex mounts itself at "" (the frontend
catch-all), so they are never shadowed by a page. The same call installs the request-metrics
middleware, which therefore sees every HTTP request the site serves.

/metrics is for the monitoring system only: a direct loopback peer (Prometheus on the same
host), or anyone sending `Authorization: Bearer $HSA_METRICS_TOKEN`. A request that carries a
forwarding header came through a proxy, which is usually on loopback itself (deploy/nginx.conf,
deploy/Caddyfile), so for it loopback proves nothing and the token is required.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from hsa.observability import health
from hsa.observability.http import RequestMetrics
from hsa.observability.metrics import render
from hsa.settings import get_settings

FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")
NO_STORE = {"Cache-Control": "no-store"}


def _loopback(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def metrics_refusal(request: Request) -> int:
    """0 when the caller may read /metrics, else the status to answer (401: send the token; 403: no way in)."""
    token = get_settings().metrics_token
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return 0
    direct = not any(name in request.headers for name in FORWARDING_HEADERS)
    if direct and request.client is not None and _loopback(request.client.host):
        return 0
    return 401 if token else 403


async def healthz() -> JSONResponse:
    """Liveness: the process answers HTTP. No database call and no worker thread, so a slow database or
    a busy thread pool never gets a healthy process restarted."""
    return JSONResponse({"status": "ok"}, headers=NO_STORE)


def readyz() -> JSONResponse:
    """Readiness: database reachable, schema at head, Redis reachable when configured (503 names what failed).

    A plain `def`: FastAPI runs it in a worker thread, so the blocking checks never stall the event loop."""
    checks = health.readiness()
    failed = [c.name for c in checks if not c.ok]
    body = {"status": "unavailable" if failed else "ok", "failed": failed,
            "checks": {c.name: c.detail for c in checks}}
    return JSONResponse(body, status_code=503 if failed else 200, headers=NO_STORE)


def metrics(request: Request) -> Response:
    """Prometheus exposition of this process (or of every worker in multiprocess mode)."""
    refusal = metrics_refusal(request)
    if refusal:
        headers = {**NO_STORE, **({"WWW-Authenticate": "Bearer"} if refusal == 401 else {})}
        return JSONResponse({"detail": "Metrics are for the monitoring system."}, status_code=refusal,
                            headers=headers)
    body, content_type = render()
    return Response(body, headers={**NO_STORE, "Content-Type": content_type})


def install_ops(outer: FastAPI) -> None:
    """Add /healthz, /readyz and /metrics to the outer app, and time every request it serves."""
    outer.add_middleware(RequestMetrics)
    outer.add_api_route("/healthz", healthz, methods=["GET", "HEAD"], include_in_schema=False)
    outer.add_api_route("/readyz", readyz, methods=["GET", "HEAD"], include_in_schema=False)
    outer.add_api_route("/metrics", metrics, methods=["GET"], include_in_schema=False)
