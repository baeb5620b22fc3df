"""The gateway's HTTP surface: Razorpay's /v1 API, the hosted checkout, and /_test controls.

Why a local stand-in speaking Razorpay's contract: tests and demos cannot reach Razorpay, yet the app's
real code path (the official SDK, the browser form post, the signed callback and webhooks) should run end
to end. Request validation and error bodies mimic Razorpay so the SDK raises the same exceptions it
would in production. This package stands for an outside service: it imports nothing from the app.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from hsa.testgateway.pages import checkout_router
from hsa.testgateway.store import ApiError, Store
from hsa.testgateway.webhooks import Dispatcher, controls_router

_ORDER_FIELDS = {"amount", "currency", "receipt", "notes", "payment_capture", "unique_receipt", "partial_payment"}
_REFUND_FIELDS = {"amount", "speed", "receipt", "notes"}
_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{10,255}")


@dataclass(frozen=True)
class GatewayConfig:
    """How a gateway instance behaves; defaults match the app's test settings."""

    key_id: str = "rzp_test_homeserve"
    key_secret: str = "homeserve_test_secret"  # noqa: S105 - a public, test-mode-only default
    webhook_url: str = ""
    webhook_secret: str = "homeserve_webhook_secret"  # noqa: S105 - a public, test-mode-only default
    db_path: str = ":memory:"
    webhook_retry_delays: tuple[float, ...] = (0.5, 1, 2, 4, 8)
    merchant_name: str = "HomeServe"


@dataclass(frozen=True)
class Gateway:
    """What a running app holds (as `app.state.gateway`): runners and tests reach the worker through it."""

    config: GatewayConfig
    store: Store
    dispatcher: Dispatcher


def error_body(description: str, field: str | None = None) -> dict[str, Any]:
    """Razorpay's error shape; the SDK maps code BAD_REQUEST_ERROR to razorpay.errors.BadRequestError."""
    error: dict[str, Any] = {"code": "BAD_REQUEST_ERROR", "description": description, "source": "NA",
                             "step": "NA", "reason": "NA", "metadata": {}}
    if field:
        error["field"] = field
    return {"error": error}


def collection(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"entity": "collection", "count": len(items), "items": items}


def nest(fields: dict[str, str]) -> dict[str, Any]:
    """Form fields `notes[a]=1` -> {"notes": {"a": "1"}} (one level, as Razorpay's form API takes)."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        outer, sep, inner = key.partition("[")
        if sep and inner.endswith("]"):
            out.setdefault(outer, {})[inner[:-1]] = value
        else:
            out[key] = value
    return out


async def read_body(request: Request) -> dict[str, Any]:
    """JSON body (what the SDK sends) or form fields with `notes[key]` (what curl -d sends)."""
    raw = await request.body()
    if not raw.strip():
        return {}
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return nest({k: v for k, v in (await request.form()).items() if isinstance(v, str)})
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ApiError("The request body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise ApiError("The request body must be a JSON object")
    return body


def _int(body: dict[str, Any], name: str, *, minimum: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(f"The {name} must be an integer.", field=name)
    if minimum is not None and value < minimum:
        raise ApiError(f"The {name} must be atleast INR {minimum / 100:.2f}", field=name)
    return value


def _str(body: dict[str, Any], name: str, max_len: int) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(f"The {name} must be a string.", field=name)
    if len(value) > max_len:
        raise ApiError(f"{name}: the length must be less than or equal to {max_len}.", field=name)
    return value


def _notes(body: dict[str, Any]) -> dict[str, Any]:
    notes = body.get("notes") or {}
    if isinstance(notes, list) and not notes:
        return {}
    if not isinstance(notes, dict) or len(notes) > 15:
        raise ApiError("notes must be an object with at most 15 keys", field="notes")
    for key, value in notes.items():
        if not isinstance(value, str | int | float | bool) or len(str(value)) > 256:
            raise ApiError(f"notes.{key} must be a string of at most 256 characters", field="notes")
    return notes


def _flag(body: dict[str, Any], name: str, default: bool) -> bool:
    value = body.get(name, default)
    if value in (True, 1, "1", "true"):
        return True
    if value in (False, 0, "0", "false"):
        return False
    raise ApiError(f"The {name} field must be true or false.", field=name)


def _unknown(body: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(body) - allowed)
    if extra:
        raise ApiError(f"{', '.join(extra)} is/are not required and should not be sent", field=extra[0])


def _api(gw: Gateway) -> APIRouter:
    config, store = gw.config, gw.store

    def authenticate(request: Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic" or not token:
            raise ApiError("Please provide your api key for authentication purposes.", status=401)
        try:
            key, _, secret = base64.b64decode(token, validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError("Authentication failed", status=401) from exc
        expected = f"{config.key_id}:{config.key_secret}".encode()
        if not hmac.compare_digest(f"{key}:{secret}".encode(), expected):
            raise ApiError("Authentication failed", status=401)

    api = APIRouter(prefix="/v1", dependencies=[Depends(authenticate)])

    def page(request: Request) -> tuple[int, int]:
        count = _int(dict(request.query_params), "count") or 10
        skip = _int(dict(request.query_params), "skip") or 0
        return min(count, 100), skip

    @api.post("/orders")
    async def create_order(request: Request) -> dict[str, Any]:
        body = await read_body(request)
        _unknown(body, _ORDER_FIELDS)
        amount = _int(body, "amount", minimum=100)
        if amount is None:
            raise ApiError("The amount field is required.", field="amount")
        currency = body.get("currency", "INR")
        if currency != "INR":
            raise ApiError("Currency is not supported (test mode takes INR only)", field="currency")
        if _flag(body, "partial_payment", False):
            raise ApiError("partial_payment is not supported in test mode", field="partial_payment")
        receipt = _str(body, "receipt", 40)
        unique = _flag(body, "unique_receipt", False)
        if unique and not receipt:
            raise ApiError("The receipt field is required when unique_receipt is true.", field="receipt")
        return store.create_order(amount=amount, currency=currency, receipt=receipt, notes=_notes(body),
                                  payment_capture=_flag(body, "payment_capture", True), unique_receipt=unique)

    @api.get("/orders")
    def list_orders(request: Request) -> dict[str, Any]:
        count, skip = page(request)
        receipt = request.query_params.get("receipt")
        return collection(store.collection("order", receipt=receipt, count=count, skip=skip))

    @api.get("/orders/{order_id}")
    def get_order(order_id: str) -> dict[str, Any]:
        return store.fetch("order", order_id)

    @api.get("/orders/{order_id}/payments")
    def order_payments(order_id: str) -> dict[str, Any]:
        store.fetch("order", order_id)
        return collection(store.collection("payment", parent=order_id, count=100))

    @api.get("/payments")
    def list_payments(request: Request) -> dict[str, Any]:
        count, skip = page(request)
        return collection(store.collection("payment", count=count, skip=skip))

    @api.get("/payments/{payment_id}")
    def get_payment(payment_id: str) -> dict[str, Any]:
        return store.fetch("payment", payment_id)

    @api.post("/payments/{payment_id}/capture")
    async def capture(payment_id: str, request: Request) -> dict[str, Any]:
        body = await read_body(request)
        amount = _int(body, "amount")
        if amount is None:
            raise ApiError("The amount field is required.", field="amount")
        return store.capture(payment_id, amount, body.get("currency"))

    @api.post("/payments/{payment_id}/refund")
    async def refund(payment_id: str, request: Request) -> dict[str, Any]:
        body = await read_body(request)
        _unknown(body, _REFUND_FIELDS)
        key = request.headers.get("x-refund-idempotency")
        if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
            raise ApiError("X-Refund-Idempotency must be 10-255 characters of A-Z, a-z, 0-9, _ or -")
        speed = body.get("speed", "normal")
        if speed not in ("normal", "optimum"):
            raise ApiError("The selected speed is invalid.", field="speed")
        return store.refund(payment_id, amount=_int(body, "amount", minimum=100), speed=speed,
                            receipt=_str(body, "receipt", 40), notes=_notes(body), idempotency_key=key)

    @api.get("/payments/{payment_id}/refunds")
    def payment_refunds(payment_id: str) -> dict[str, Any]:
        store.fetch("payment", payment_id)
        return collection(store.collection("refund", parent=payment_id, count=100))

    @api.get("/payments/{payment_id}/refunds/{refund_id}")
    def payment_refund(payment_id: str, refund_id: str) -> dict[str, Any]:
        found = store.fetch("refund", refund_id)
        if found["payment_id"] != payment_id:
            raise ApiError("The id provided does not exist")
        return found

    @api.get("/refunds")
    def list_refunds(request: Request) -> dict[str, Any]:
        count, skip = page(request)
        return collection(store.collection("refund", count=count, skip=skip))

    @api.get("/refunds/{refund_id}")
    def get_refund(refund_id: str) -> dict[str, Any]:
        return store.fetch("refund", refund_id)

    return api


def build_app(config: GatewayConfig | None = None) -> FastAPI:
    """A complete gateway; its webhook worker runs while the app's lifespan does."""
    config = config or GatewayConfig()
    store = Store(config.db_path)
    dispatcher = Dispatcher(store, url=config.webhook_url, secret=config.webhook_secret,
                            delays=config.webhook_retry_delays)
    store.on_event = dispatcher.notify
    gw = Gateway(config, store, dispatcher)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        dispatcher.start()
        try:
            yield
        finally:
            dispatcher.stop()

    app = FastAPI(title="HomeServe test payment gateway", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.gateway = gw

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.description, exc.field), status_code=exc.status)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        text = "The requested URL was not found on the server." if exc.status_code == 404 else str(exc.detail)
        return JSONResponse(error_body(text), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def server_error(_: Request, exc: Exception) -> JSONResponse:  # a gateway bug: still Razorpay's shape
        body = error_body(f"Test gateway error: {type(exc).__name__}")
        body["error"]["code"] = "SERVER_ERROR"
        return JSONResponse(body, status_code=500)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body(f"Invalid request: {exc.errors()[0].get('msg', '')}"), status_code=400)

    app.include_router(checkout_router(gw))  # before the API: /v1/checkout/* takes no API key
    app.include_router(_api(gw))
    app.include_router(controls_router(gw))
    return app
