"""A local, test-mode payment gateway that speaks Razorpay's HTTP contract.

Why: tests and demos cannot reach Razorpay, but the app's real payment path (official SDK, hosted checkout
form, signed callback, signed webhooks) should still run end to end. This package stands for an outside
service, so it imports nothing from the app (models, services, state, reflex).

    from hsa.testgateway import GatewayConfig, start_in_thread
    gw = start_in_thread(GatewayConfig(webhook_url="http://127.0.0.1:8000/api/payments/webhook"))
    client = razorpay.Client(auth=(gw.config.key_id, gw.config.key_secret), base_url=gw.base_url)
"""

from hsa.testgateway.app import Gateway, GatewayConfig, build_app
from hsa.testgateway.pages import format_inr, payment_signature
from hsa.testgateway.runner import RunningGateway, start_in_thread
from hsa.testgateway.webhooks import sign as webhook_signature

__all__ = ["Gateway", "GatewayConfig", "RunningGateway", "build_app", "format_inr", "payment_signature",
           "start_in_thread", "webhook_signature"]
