"""The gateway's two doors into HomeServe: the customer's browser coming back from the hosted
payment page (a form POST, then a redirect to their booking) and the signed webhooks."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from hsa import routes
from hsa.api.deps import call, client_ip
from hsa.api.problems import problem
from hsa.models import utcnow
from hsa.services import throttle
from hsa.services.errors import Forbidden, ValidationFailed
from hsa.services.money import capture, webhooks
from hsa.services.money.gateway import GatewayUnavailable
from hsa.settings import get_settings

router = APIRouter(tags=["payments"])
RETURN_LIMIT = "60/minute"  # per address: each return costs a gateway lookup
FORM_FIELDS = ("razorpay_payment_id", "razorpay_order_id", "razorpay_signature", "error[code]",
               "error[description]", "error[reason]", "error[metadata]")


def _site() -> str:
    return get_settings().public_url


@router.post("/payments/callback", include_in_schema=False)
async def payment_return(request: Request) -> Response:
    """Hosted checkout's `callback_url`: settle what the gateway says, then show the booking."""
    # (database work runs in the thread pool: a blocking call here would stall every other request)
    if throttle.take(RETURN_LIMIT, "payment-return", client_ip(request)):
        return RedirectResponse(f"{_site()}{routes.MY_REQUESTS}?payment=pending", status_code=303)
    form = await request.form()
    fields = {k: str(form.get(k, ""))[:2000] for k in FORM_FIELDS if form.get(k) is not None}
    try:
        request_id, outcome = await run_in_threadpool(call, capture.handle_return, fields=fields, now=utcnow())
    except GatewayUnavailable:
        request_id, outcome = None, "pending"  # the reconciler settles it; the booking shows it then
    target = f"{_site()}{routes.MY_REQUESTS}?payment={outcome}" + (f"&request={request_id}" if request_id else "")
    return RedirectResponse(target, status_code=303)


@router.post("/payments/webhook", include_in_schema=False)
async def gateway_webhook(request: Request) -> Response:
    """Razorpay-style webhook: 200 once handled (or a duplicate), 400 if unsigned or forged,
    503 while we cannot process it (the gateway retries)."""
    body = await request.body()
    try:
        outcome = await run_in_threadpool(
            call, webhooks.handle, body=body, signature=request.headers.get("x-razorpay-signature", ""),
            event_id=request.headers.get("x-razorpay-event-id", ""), now=utcnow())
    except (Forbidden, ValidationFailed) as exc:
        return problem(400, "bad-webhook", "Webhook refused", exc.message)
    except GatewayUnavailable as exc:
        return problem(503, "unavailable", "Try again later", exc.message)
    return JSONResponse({"status": outcome})
