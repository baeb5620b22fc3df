"""Setting up a booking paid online for browser tests that start from one (an admin's refund,
the form matrix): the same path as a customer's — our checkout form, the test gateway's hosted
page, our callback — driven without a browser; the journeys that test paying use a real one."""

from __future__ import annotations

import os

import requests

from hsa.models import utcnow
from hsa.services.actors import Actor
from hsa.services.money import checkout
from tests.e2e.conftest import Server
from tests.testgateway.support import parse


def pay_online(server: Server, customer: Actor, request_id: int) -> None:
    """Pay what `request_id` owes through `server`'s gateway, as the customer; returns once settled."""
    saved = os.environ.get("HSA_RAZORPAY_API_URL")
    os.environ["HSA_RAZORPAY_API_URL"] = server.gateway_url
    try:
        with server.session() as s:
            form = checkout.start_checkout(session=s, actor=customer, request_id=request_id, now=utcnow())
    finally:
        if saved is None:
            os.environ.pop("HSA_RAZORPAY_API_URL", None)
        else:
            os.environ["HSA_RAZORPAY_API_URL"] = saved
    page = parse(requests.post(form.action, data=form.fields, timeout=10).text).forms[0]
    back = parse(requests.post(server.gateway_url + page.action, data={**page.fields, "outcome": "success"},
                               timeout=10).text).forms[0]
    answer = requests.post(f"{server.url}/api/v1/payments/callback", data=back.fields, timeout=10,
                           allow_redirects=False)
    assert answer.status_code == 303 and "payment=paid" in answer.headers["location"], answer.headers
