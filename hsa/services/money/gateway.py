"""The payment gateway: Razorpay through its official SDK, against live Razorpay or the built-in
test gateway (`hsa.testgateway`, same HTTP contract), chosen only by `HSA_RAZORPAY_API_URL`.

`PaymentGateway` is what the rest of the app calls; `RazorpayGateway` is the one implementation,
so tests and the demo run exactly the code that would talk to Razorpay. Every call is bounded by a
timeout and a failure becomes `GatewayUnavailable` (a sentence for the customer), never a trace.
The customer pays on the gateway's hosted page (Razorpay Hosted Checkout: a form POST to
`/v1/checkout/embedded`), so no card or UPI detail ever passes through HomeServe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import urlsplit

import razorpay
import requests
from razorpay.errors import BadRequestError, GatewayError, ServerError, SignatureVerificationError

from hsa.i18n.text import msg
from hsa.services.errors import DomainError
from hsa.settings import get_settings

log = logging.getLogger(__name__)
TIMEOUT = (3.05, 10)  # connect, read (seconds)


class GatewayUnavailable(DomainError):
    """The gateway did not answer or refused a call; nothing was changed on our side."""


@dataclass(frozen=True)
class CheckoutForm:
    """Where the browser POSTs to pay, and the fields it sends (the gateway's hosted page)."""

    action: str
    fields: dict[str, str]


class PaymentGateway(Protocol):
    def create_order(self, *, amount_paise: int, receipt: str, notes: dict[str, str]) -> dict[str, Any]: ...
    def order_payments(self, order_id: str) -> list[dict[str, Any]]: ...
    def fetch_payment(self, payment_id: str) -> dict[str, Any]: ...
    def capture(self, payment_id: str, amount_paise: int) -> dict[str, Any]: ...
    def refund(self, payment_id: str, *, amount_paise: int, key: str, notes: dict[str, str]) -> dict[str, Any]: ...
    def fetch_refund(self, refund_id: str) -> dict[str, Any]: ...
    def payment_signature_ok(self, *, order_id: str, payment_id: str, signature: str) -> bool: ...
    def webhook_signature_ok(self, body: bytes, signature: str) -> bool: ...
    def checkout_form(self, *, order_id: str, amount_paise: int, description: str, prefill: dict[str, str],
                      callback_url: str, cancel_url: str) -> CheckoutForm: ...


class RazorpayGateway:
    """Razorpay's REST API through `razorpay.Client` (orders, payments, refunds, signatures)."""

    def __init__(self, *, api_url: str, key_id: str, key_secret: str, webhook_secret: str) -> None:
        self.api_url, self.key_id = api_url.rstrip("/"), key_id
        self._webhook_secret = webhook_secret
        self._client = razorpay.Client(auth=(key_id, key_secret), base_url=self.api_url)
        self._client.set_app_details({"title": "HomeServe", "version": "1"})

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, timeout=TIMEOUT, **kwargs)
        except BadRequestError as exc:
            log.warning("gateway refused %s: %s", what, exc)
            raise GatewayUnavailable(msg("svc_money.gateway_refused", reason=str(exc))) from None
        except (GatewayError, ServerError, requests.RequestException, ValueError) as exc:
            log.warning("gateway %s failed: %s", what, exc)
            raise GatewayUnavailable(msg("svc_money.gateway_down")) from None

    def create_order(self, *, amount_paise: int, receipt: str, notes: dict[str, str]) -> dict[str, Any]:
        """`unique_receipt`: a retried create (a timeout, a second click) returns the same order."""
        return self._call("create order", self._client.order.create, {
            "amount": amount_paise, "currency": "INR", "receipt": receipt, "notes": notes, "payment_capture": 1,
            "unique_receipt": True})

    def order_payments(self, order_id: str) -> list[dict[str, Any]]:
        return list(self._call("order payments", self._client.order.payments, order_id).get("items", []))

    def fetch_payment(self, payment_id: str) -> dict[str, Any]:
        return self._call("fetch payment", self._client.payment.fetch, payment_id)

    def capture(self, payment_id: str, amount_paise: int) -> dict[str, Any]:
        return self._call("capture", self._client.payment.capture, payment_id, amount_paise, {"currency": "INR"})

    def refund(self, payment_id: str, *, amount_paise: int, key: str, notes: dict[str, str]) -> dict[str, Any]:
        """`X-Refund-Idempotency`: the same key never refunds twice, whatever is retried."""
        return self._call("refund", self._client.payment.refund, payment_id,
                          {"amount": amount_paise, "speed": "normal", "notes": notes},
                          headers={"X-Refund-Idempotency": key})

    def fetch_refund(self, refund_id: str) -> dict[str, Any]:
        return self._call("fetch refund", self._client.refund.fetch, refund_id)

    def payment_signature_ok(self, *, order_id: str, payment_id: str, signature: str) -> bool:
        try:
            return bool(self._client.utility.verify_payment_signature({
                "razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature}))
        except SignatureVerificationError:
            return False

    def webhook_signature_ok(self, body: bytes, signature: str) -> bool:
        try:
            return bool(self._client.utility.verify_webhook_signature(
                body.decode("utf-8", "replace"), signature, self._webhook_secret))
        except SignatureVerificationError:
            return False

    def checkout_form(self, *, order_id: str, amount_paise: int, description: str, prefill: dict[str, str],
                      callback_url: str, cancel_url: str) -> CheckoutForm:
        fields = {"key_id": self.key_id, "order_id": order_id, "amount": str(amount_paise), "currency": "INR",
                  "name": "HomeServe", "description": description, "callback_url": callback_url,
                  "cancel_url": cancel_url}
        fields |= {f"prefill[{k}]": v for k, v in prefill.items() if v}
        return CheckoutForm(action=f"{self.api_url}/v1/checkout/embedded", fields=fields)


@lru_cache(maxsize=4)
def _gateway(api_url: str, key_id: str, key_secret: str, webhook_secret: str) -> RazorpayGateway:
    return RazorpayGateway(api_url=api_url, key_id=key_id, key_secret=key_secret, webhook_secret=webhook_secret)


TEST_SECRETS = {"homeserve_test_secret", "homeserve_webhook_secret"}  # the built-in test gateway's defaults


def get_gateway() -> PaymentGateway:
    """The configured gateway (one client per configuration: it keeps its HTTP connections).

    The test gateway's well-known secrets are refused for any gateway not on this machine: with
    them anyone could forge a webhook, so a live setup that forgot its keys takes no payments."""
    s = get_settings()
    host = urlsplit(s.razorpay_api_url).hostname or ""
    test_secrets = {s.razorpay_key_secret, s.razorpay_webhook_secret} & TEST_SECRETS
    if host not in ("127.0.0.1", "localhost", "::1") and test_secrets:
        log.error("HSA_RAZORPAY_KEY_SECRET and HSA_RAZORPAY_WEBHOOK_SECRET must be set for %s", s.razorpay_api_url)
        raise GatewayUnavailable(msg("svc_money.gateway_not_set_up"))
    return _gateway(s.razorpay_api_url, s.razorpay_key_id, s.razorpay_key_secret, s.razorpay_webhook_secret)
